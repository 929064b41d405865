using NodeHealth.Actors.Detection;

namespace NodeHealth.Actors.Tests.Detection;

public sealed class LiteralScannerTests
{
    private static readonly string[] KernelLiterals =
    [
        "Out of memory: Killed process", "Memory cgroup out of memory", "invoked oom-killer", "Oops: ", "general protection fault",
        "divide error: ", "BUG: unable to handle", "rcu_sched detected stalls", "detected stall", "Watchdog detected hard LOCKUP",
        "EDAC MC", "Hardware Error", "Remounting filesystem read-only", "EXT4-fs error", "XFS (", "Corruption detected", "BTRFS error",
        "nvme nvme", "I/O error, dev ", "Buffer I/O error", "NETDEV WATCHDOG", "unregister_netdevice: waiting for", "Link is Down",
        "soft lockup", "BUG: ", "traps: ", ": segfault at", " blocked for more than ", "_conntrack: table full", "carrier lost",
    ];

    private static readonly string[] Lines =
    [
        "EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode. Quota mode: none.",
        "watchdog: BUG: soft lockup - CPU#6 stuck for 23s! [VM Thread:4054]",
        "Out of memory: Killed process 4242 (stress-ng) total-vm:8429812kB, anon-rss:8123456kB",
        "XFS (nvme1n1): Corruption detected. Unmount and run xfs_repair",
        "ena 0000:00:05.0 eth0: Link is Down",
        "kexec[896]: segfault at 0 ip 0000000000000000 sp 00007ffeaf0ff420 error 14 in dash[561ac3c57000+4000]",
        "IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready",
        "BUG: BUG: BUG: ",
        "",
        "B",
        "\uFFFD\uFFFDBUG: \0",
    ];

    [Theory]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(30)]
    public void Finds_every_literal_in_a_line_exactly_once_with_few_or_many_literals(int count)
    {
        var literals = KernelLiterals.Take(count).ToArray();
        var scanner = new LiteralScanner(literals);
        var seen = new bool[literals.Length];
        var found = new List<int>();

        foreach (var line in Lines)
        {
            scanner.FindAll(line, seen, found);

            var expected = Enumerable.Range(0, literals.Length).Where(i => line.Contains(literals[i], StringComparison.Ordinal));
            Assert.Equal(expected, found.Order());
            Assert.DoesNotContain(true, seen);
        }
    }

    [Fact]
    public void Literals_are_case_sensitive()
    {
        var scanner = new LiteralScanner(KernelLiterals);
        var found = new List<int>();

        scanner.FindAll("watchdog: bug: SOFT LOCKUP - cpu#6 stuck", new bool[KernelLiterals.Length], found);

        Assert.Empty(found);
    }

    [Theory]
    [InlineData("ab")] // ASCII literals only: the vectorized pair filter runs.
    [InlineData("Łódź disk")] // A literal anchored outside ASCII: the scalar search runs.
    public void Finds_literals_at_every_offset_across_the_16_character_blocks_of_the_vectorized_search(string extra)
    {
        var literals = KernelLiterals.Append(extra).ToArray();
        var scanner = new LiteralScanner(literals);
        var seen = new bool[literals.Length];
        var found = new List<int>();
        var random = new Random(7);
        var filler = "a e t:[]0 9_-ÿŁ\u4e2d\uFFFDé".ToCharArray();

        for (var trial = 0; trial < 3000; trial++)
        {
            var line = new char[random.Next(0, 120)];
            for (var i = 0; i < line.Length; i++)
                line[i] = filler[random.Next(filler.Length)];
            var text = new string(line);
            for (var insert = random.Next(0, 3); insert > 0; insert--)
                text = text.Insert(random.Next(0, text.Length + 1), literals[random.Next(literals.Length)]);

            scanner.FindAll(text, seen, found);

            var expected = Enumerable.Range(0, literals.Length).Where(i => text.Contains(literals[i], StringComparison.Ordinal));
            Assert.Equal(expected, found.Order());
            Assert.DoesNotContain(true, seen);
        }
    }
}

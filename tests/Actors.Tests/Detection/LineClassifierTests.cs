using NodeHealth.Actors.Detection;

namespace NodeHealth.Actors.Tests.Detection;

/// <summary>Real kernel log lines (from EKS's documentation and real hosts) against the built-in catalog.</summary>
public sealed class LineClassifierTests
{
    private readonly LineClassifier _kernel = new(CatalogLoader.LoadBuiltIn(), "kmsg");

    [Theory]
    [InlineData("watchdog: BUG: soft lockup - CPU#6 stuck for 23s! [VM Thread:4054]", "SoftLockup", "CPU#6 stuck for 23s [VM Thread:4054]")]
    [InlineData("BUG: scheduling while atomic: swapper/0/0/0x00000002", "KernelBug", "BUG: scheduling while atomic: swapper/0/0/0x00000002")]
    [InlineData("BUG: kernel NULL pointer dereference, address: 0000000000000008", "KernelOops", "BUG: kernel NULL pointer dereference, address: 0000000000000008")]
    [InlineData("[T123] BUG: unable to handle page fault for address: ffff", "KernelBug", "BUG: unable to handle page fault for address: ffff")]
    [InlineData("kexec[896]: segfault at 0 ip 0000000000000000 sp 00007ffeaf0ff420 error 14 in dash[561ac3c57000+4000]", "AppCrash", "process kexec crashed")]
    [InlineData("traps: python3[2211] general protection fault ip:7f sp:7ffd error:0 in libc.so.6", "AppCrash", "process python3 crashed")]
    [InlineData("INFO: task jbd2/nvme0n1p1-8:321 blocked for more than 122 seconds.", "AppBlocked", "task jbd2/nvme0n1p1-8:321 blocked for more than 122 seconds")]
    [InlineData("nf_conntrack: nf_conntrack: table full, dropping packet", "ConntrackExceededKernel", "connection tracking table full, dropping packets")]
    [InlineData("ip_conntrack: table full, dropping packet", "ConntrackExceededKernel", "connection tracking table full, dropping packets")]
    public void Known_fault_line_is_classified_with_its_EKS_reason(string line, string reason, string message)
    {
        var match = _kernel.Classify(line);

        Assert.NotNull(match);
        Assert.Equal(reason, match.Rule.Reason);
        Assert.Equal(message, match.Message);
    }

    [Fact]
    public void Soft_lockup_takes_precedence_over_kernel_bug()
    {
        Assert.Equal("SoftLockup", _kernel.Classify("watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [stress:1234]")!.Rule.Reason);
    }

    [Theory]
    [InlineData("e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex")]
    [InlineData("EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode")]
    [InlineData("audit: type=1400 audit(1700000000.000:2): apparmor=\"STATUS\"")]
    [InlineData("")]
    public void Ordinary_line_matches_nothing(string line)
    {
        Assert.Null(_kernel.Classify(line));
    }

    [Fact]
    public void Huge_line_is_classified_with_a_bounded_message()
    {
        var line = "BUG: " + new string('x', 1_000_000);

        var match = _kernel.Classify(line);

        Assert.Equal("KernelBug", match!.Rule.Reason);
        Assert.Equal(LineClassifier.MaxMessageLength, match.Message.Length);
    }

    [Fact]
    public void Replacement_characters_from_invalid_utf8_do_not_break_matching()
    {
        var match = _kernel.Classify("watchdog: BUG: soft lockup - CPU#2 stuck for 40s! [\uFFFD\uFFFDworker:7]");

        Assert.Equal("SoftLockup", match!.Rule.Reason);
    }
}

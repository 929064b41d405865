using System.Diagnostics;
using NodeHealth.Actors.Detection;

// Benchmarks live apart from the tests; results go to docs/benchmarks.md with the machine description.
// Usage: dotnet run -c Release --project bench/Bench -- classify [lines]
//        dotnet run -c Release --project bench/Bench -- ingest <grpc url> <token> [agents] [findings per agent] [batch]
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
switch (args.FirstOrDefault())
{
    case "ingest" when args.Length >= 3:
        await IngestBenchmark.RunAsync(new Uri(args[1]), args[2], Arg(3, 50), Arg(4, 2_000), Arg(5, 100));
        break;
    default:
        ClassifyBenchmark.Run(Arg(1, 5_000_000));
        break;
}

int Arg(int index, int fallback) => args.Length > index && int.TryParse(args[index], out var value) ? value : fallback;

/// <summary>Kernel-log classification with the full built-in catalog: the agent's hot path (budget: ≥ 1,000,000 lines per CPU-second).</summary>
static class ClassifyBenchmark
{
    // A realistic mix: ordinary kernel chatter, with one fault line in a hundred.
    private static readonly string[] Ordinary =
    [
        "EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode. Quota mode: none.",
        "IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready",
        "cni0: port 3(veth8a1f2c3d) entered forwarding state",
        "audit: type=1400 audit(1700000000.123:456): apparmor=\"STATUS\" operation=\"profile_load\" name=\"cri-containerd.apparmor.d\"",
        "nvidia-nvlink: Nvlink Core is being initialized, major device number 234",
        "NVRM: loading NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024",
        "xfs filesystem being mounted at /var/lib/kubelet supports timestamps until 2038",
        "eth0: renamed from veth1234abcd",
        "systemd[1]: Started cri-containerd-0123456789abcdef.scope - libcontainer container 0123456789abcdef.",
        "overlayfs: upper fs does not support RENAME_WHITEOUT.",
    ];

    private static readonly string[] Faults =
    [
        "watchdog: BUG: soft lockup - CPU#6 stuck for 23s! [VM Thread:4054]",
        "INFO: task jbd2/nvme0n1p1-8:321 blocked for more than 122 seconds.",
        "nf_conntrack: nf_conntrack: table full, dropping packet",
    ];

    public static void Run(int count)
    {
        var engine = new DetectionEngine(CatalogLoader.LoadBuiltIn(), "kmsg", new DetectionOptions { RateLimits = false });
        var found = new List<Detection>();
        var at = DateTime.UtcNow;
        var input = Enumerable.Range(0, 10_000).Select(i => i % 100 == 0 ? Faults[i / 100 % Faults.Length] : Ordinary[i % Ordinary.Length]).ToArray();

        for (var i = 0; i < 200_000; i++) // Warm up (JIT tiering, regex compilation).
            engine.Feed(input[i % input.Length], at, i, found);
        found.Clear();

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var matches = 0;
        for (var i = 0; i < count; i++)
        {
            engine.Feed(input[i % input.Length], at, i, found);
            matches += found.Count;
            found.Clear();
        }
        clock.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;

        Console.WriteLine($"classify: {count:N0} lines ({matches:N0} faults) in {clock.Elapsed.TotalSeconds:0.00} s wall, {cpu:0.00} s CPU");
        Console.WriteLine($"classify: {count / cpu:N0} lines per CPU-second, {clock.Elapsed.TotalNanoseconds / count:0} ns per line");
    }
}

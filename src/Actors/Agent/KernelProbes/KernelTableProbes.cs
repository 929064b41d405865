using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.KernelProbes;

/// <summary>EKS's ApproachingMaxOpenFiles from /proc/sys/fs/file-nr.</summary>
public sealed class FileHandlesProbe(IHostFiles host, TimeSpan interval) : IProbe
{
    public string Name => "file-nr";
    public ConditionType Condition => ConditionType.KernelReady;
    public TimeSpan Interval => interval;
    public string Description => $"{FileHandles.Path} under {host.Root}";

    public ProbeOutcome Poll() =>
        host.ReadText(FileHandles.Path) is not { } text
            ? new ProbeOutcome.Absent($"{FileHandles.Path} does not exist under {host.Root}")
            : KernelProbeOutcome.Of(OpenFilesCheck.Check(KernelProbeOutcome.Parse(() => FileHandles.Parse(text))));
}

/// <summary>EKS's ApproachingKernelPidMax: the numeric entries of /proc against pid_max and threads-max.</summary>
public sealed class PidUsageProbe(IHostFiles host, TimeSpan interval) : IProbe
{
    public string Name => "pid-max";
    public ConditionType Condition => ConditionType.KernelReady;
    public TimeSpan Interval => interval;
    public string Description => $"/proc, {PidUsageCheck.PidMaxPath} and {PidUsageCheck.ThreadsMaxPath} under {host.Root}";

    public ProbeOutcome Poll()
    {
        if (host.ReadText(PidUsageCheck.PidMaxPath) is not { } pidMax || host.ReadText(PidUsageCheck.ThreadsMaxPath) is not { } threadsMax)
            return new ProbeOutcome.Absent($"{PidUsageCheck.PidMaxPath} or {PidUsageCheck.ThreadsMaxPath} does not exist under {host.Root}");
        var processes = KernelProbeOutcome.ProcessIds(host).Count;
        return KernelProbeOutcome.Of(PidUsageCheck.Check(
            processes,
            KernelProbeOutcome.Number(pidMax, PidUsageCheck.PidMaxPath),
            KernelProbeOutcome.Number(threadsMax, PidUsageCheck.ThreadsMaxPath)));
    }
}

/// <summary>EKS's ZramHighUsage for every /sys/block/zram* device.</summary>
public sealed class ZramProbe(IHostFiles host, TimeSpan interval) : IProbe
{
    public string Name => "zram";
    public ConditionType Condition => ConditionType.KernelReady;
    public TimeSpan Interval => interval;
    public string Description => $"/sys/block/zram*/mm_stat and disksize under {host.Root}";

    public ProbeOutcome Poll()
    {
        var devices = (host.List("/sys/block") ?? []).Where(d => d.StartsWith("zram", StringComparison.Ordinal)).ToList();
        if (devices.Count == 0)
            return new ProbeOutcome.Absent("no zram device");
        var failing = new List<ProbeFailure>();
        foreach (var device in devices)
        {
            var mmStatPath = $"/sys/block/{device}/mm_stat";
            var diskSizePath = $"/sys/block/{device}/disksize";
            if (host.ReadText(mmStatPath) is not { } mmStat || host.ReadText(diskSizePath) is not { } diskSize)
                continue; // Removed (zramctl --reset) between listing and reading.
            var stored = KernelProbeOutcome.Parse(() => ZramUsageCheck.StoredBytes(mmStat, mmStatPath));
            var size = KernelProbeOutcome.Number(diskSize, diskSizePath);
            if (ZramUsageCheck.Check(device, stored, size) is { } problem)
                failing.Add(KernelProbeOutcome.Failure(problem));
        }
        return new ProbeOutcome.Checked(failing);
    }
}

/// <summary>The kernel's clock discipline state: adjtimex(2) with modes 0, which reads and changes nothing.</summary>
public interface IKernelClock
{
    /// <summary>The timex status word. Throws <see cref="ProbeUnavailableException"/> when the call fails.</summary>
    int Status();
}

/// <summary>EKS's ClockUnsynchronized: STA_UNSYNC in adjtimex's status word.</summary>
public sealed class ClockProbe(IKernelClock clock, TimeSpan interval) : IProbe
{
    public string Name => "clock";
    public ConditionType Condition => ConditionType.KernelReady;
    public TimeSpan Interval => interval;
    public string Description => "adjtimex(2)";

    public ProbeOutcome Poll() => KernelProbeOutcome.Of(ClockSyncCheck.Check(clock.Status()));
}

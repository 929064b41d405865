using NodeHealth.Actors.Agent.KernelProbes;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Storage;

/// <summary>
/// FilesystemReadOnly from the host's mount table (<see cref="ReadOnlyFilesystemWatch"/>): one failure per
/// read-only filesystem, keyed by its device name as the kernel log writes it ("nvme1n1", "loop0"), Fatal when
/// it holds a critical directory and Warning otherwise. When every filesystem is writable again (or unmounted)
/// the check passes, which also clears a FilesystemReadOnly raised by the kernel-log rule.
/// </summary>
public sealed class MountsProbe(IHostFiles host, string mountInfoPath, TimeSpan interval, IReadOnlyList<string>? criticalDirectories = null) : IProbe
{
    public const string ProbeName = "mounts";

    private readonly ReadOnlyFilesystemWatch _watch = new(criticalDirectories);

    /// <summary>
    /// The host's mount table: under a HOST_ROOT the agent runs in a container with its own mount namespace, so
    /// it reads pid 1's (the DaemonSet runs with hostPID); on a plain host its own.
    /// </summary>
    public static string MountInfoPathFor(string hostRoot) => hostRoot == "/" ? MountInfo.OwnPath : MountInfo.HostInitPath;

    public string Name => ProbeName;
    public IReadOnlyList<string> AlsoRaises { get; } = [ReadOnlyFilesystemWatch.Reason];
    public ConditionType Condition => ConditionType.StorageReady;
    public TimeSpan Interval => interval;
    public string Description => $"{mountInfoPath} under {host.Root} (critical: {string.Join(", ", _watch.CriticalDirectories)})";

    public ProbeOutcome Poll()
    {
        var text = host.ReadText(mountInfoPath)
            ?? throw new ProbeUnavailableException($"{mountInfoPath} does not exist under {host.Root}");
        var mounts = KernelProbeOutcome.Parse(() => MountInfo.Parse(text, mountInfoPath));
        return new ProbeOutcome.Checked([.. _watch.Observe(mounts).Select(fs =>
            new ProbeFailure(ReadOnlyFilesystemWatch.Reason, fs.Entity, fs.Describe()) { Severity = fs.Severity })]);
    }
}

using Akka.Actor;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection.Probes;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Agent.Storage;

public sealed record StorageMonitorSettings
{
    /// <summary>Reading the mount table is cheap, and a read-only kubelet disk should hold StorageReady False within seconds.</summary>
    public TimeSpan MountsInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>EKS's cadence for IODelays and the EBS counters (their thresholds are per 10 minutes).</summary>
    public TimeSpan IoDelayInterval { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan EbsInterval { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan XfsInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Directories whose filesystem turning read-only is Fatal; default "/", the kubelet's and the container runtime's.</summary>
    public IReadOnlyList<string> CriticalDirectories { get; init; } = ReadOnlyFilesystemWatch.DefaultCriticalDirectories;

    public ProbeMonitorSettings Monitor { get; init; } = new();
}

/// <summary>
/// The StorageReady monitor: the mount table (FilesystemReadOnly, Fatal on critical directories), block I/O
/// waits (IODelays), EBS throttling and XFS free-space fragmentation, each a probe under one <see cref="ProbeMonitor"/>. Kernel-log storage
/// reasons (BlockDeviceIOError, the kernel line of FilesystemReadOnly) come from the log monitors.
/// </summary>
public static class StorageMonitor
{
    public static IReadOnlyList<IProbe> Probes(ProbeHost host, StorageMonitorSettings settings, TimeProvider clock) =>
    [
        new MountsProbe(host.Files, host.MountInfoPath, settings.MountsInterval, settings.CriticalDirectories),
        new IoDelayProbe(host.Files, settings.IoDelayInterval),
        new EbsProbe(host.Files, host.Nvme, clock, settings.EbsInterval),
        new XfsProbe(host.Files, host.Commands, host.MountInfoPath, settings.XfsInterval),
    ];

    public static Props Props(ProbeHost host, StorageMonitorSettings settings, ReasonCatalog catalog, IActorRef uplink, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new ProbeMonitor(Probes(host, settings, clock), catalog, uplink, clock, settings.Monitor));
}

using Akka.Actor;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Agent.KernelProbes;

public sealed record KernelProbeSettings
{
    /// <summary>EKS polls these every 5 minutes; the thresholds are levels, not rates, so a shorter interval only costs CPU.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    public ProbeMonitorSettings Monitor { get; init; } = new();
}

/// <summary>
/// KernelReady's probes (open files, pids, zombies, environment sizes, zram, clock sync) under one
/// <see cref="ProbeMonitor"/>, beside the kernel-log monitor that serves KernelReady's log reasons.
/// </summary>
public static class KernelProbeMonitor
{
    public static IReadOnlyList<IProbe> Probes(ProbeHost host, KernelProbeSettings settings, TimeProvider clock) =>
    [
        new FileHandlesProbe(host.Files, settings.Interval),
        new PidUsageProbe(host.Files, settings.Interval),
        new ZombieProbe(host.Files, clock, settings.Interval),
        new EnvironmentProbe(host.Files, settings.Interval),
        new ZramProbe(host.Files, settings.Interval),
        new ClockProbe(host.Clock, settings.Interval),
    ];

    public static Props Props(ProbeHost host, KernelProbeSettings settings, ReasonCatalog catalog, IActorRef uplink, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new ProbeMonitor(Probes(host, settings, clock), catalog, uplink, clock, settings.Monitor));
}

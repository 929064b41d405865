using Akka.Actor;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Agent.ContainerRuntime;

public sealed record ContainerRuntimeSettings
{
    public const string DefaultSocket = "/run/containerd/containerd.sock";

    /// <summary>The runtime's CRI socket as a host path (read under HOST_ROOT).</summary>
    public string CriSocket { get; init; } = DefaultSocket;

    public TimeSpan CriInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A Status call that takes longer is a call not answered; containerd answers in milliseconds.</summary>
    public TimeSpan CriDeadline { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan UnresponsiveAfter { get; init; } = RuntimeHealthCheck.DefaultUnresponsiveAfter;

    /// <summary>Services whose systemd restart counter is watched (kubelet and containerd, plus Agent:RestartUnits).</summary>
    public IReadOnlyList<string> RestartUnits { get; init; } = DefaultRestartUnits;

    /// <summary>EKS's cadence for &lt;Unit&gt;RepeatedRestart.</summary>
    public TimeSpan RestartsInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>EKS's cadence for DeprecatedContainerdConfiguration.</summary>
    public TimeSpan DeprecationsInterval { get; init; } = TimeSpan.FromHours(1);

    public ProbeMonitorSettings Monitor { get; init; } = new();

    public static IReadOnlyList<string> DefaultRestartUnits { get; } = ["kubelet", "containerd"];
}

/// <summary>
/// The ContainerRuntimeReady monitor: the runtime's own CRI Status, systemd's restart counters and containerd's
/// deprecations, each a probe under one <see cref="ProbeMonitor"/>. The kubelet's and systemd's journal reasons come
/// from the log monitors. Without a CRI endpoint (a host adapter the agent host supplies) the CRI probe is left out.
/// </summary>
public static class ContainerRuntimeMonitor
{
    public static IReadOnlyList<IProbe> Probes(ProbeHost host, ContainerRuntimeSettings settings, TimeProvider clock) =>
    [
        .. host.Runtime is { } runtime ? [new CriStatusProbe(runtime, clock, settings)] : Array.Empty<IProbe>(),
        new UnitRestartsProbe(host.Commands, settings),
        new ContainerdDeprecationsProbe(host.Commands, clock, settings),
    ];

    public static Props Props(ProbeHost host, ContainerRuntimeSettings settings, ReasonCatalog catalog, IActorRef uplink, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new ProbeMonitor(Probes(host, settings, clock), catalog, uplink, clock, settings.Monitor));
}

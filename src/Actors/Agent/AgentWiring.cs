using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Agent.Idle;
using NodeHealth.Actors.Agent.Kernel;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Agent;

/// <summary>
/// What the agent needs that is not an adapter: who it is, where it keeps state, which rules it runs.
/// <paramref name="HostBootId"/> is the node's kernel boot id at agent start (empty when unreadable).
/// </summary>
public sealed record AgentSettings(string NodeName, string AgentVersion, string StateDirectory, ReasonCatalog Catalog, string HostBootId = "")
{
    public KernelMonitorSettings Kernel { get; init; } = new();
    public AgentBackoff Backoff { get; init; } = AgentBackoff.Default;

    /// <summary>How often the uplink tells the coordinator it is alive; the coordinator's agent lease must span several.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = UplinkSettings.DefaultHeartbeatInterval;

    /// <summary>The longest wait between attempts to reach the coordinator again.</summary>
    public TimeSpan ReconnectMaxBackoff { get; init; } = UplinkSettings.DefaultMaxBackoff;
}

public static class AgentWiring
{
    public const string SupervisorName = "agent";

    /// <summary>The agent's actors: uplink plus one monitor per subsystem, under <see cref="AgentSupervisor"/>.</summary>
    public static AkkaConfigurationBuilder AddNodeAgent(
        this AkkaConfigurationBuilder builder,
        AgentSettings settings,
        ILogSource kernelLog,
        IUplinkTransport transport,
        TimeProvider clock)
    {
        return builder.WithActors((system, registry) =>
        {
            var uplink = Props.Create(() => new UplinkActor(
                new UplinkSettings(settings.NodeName, settings.AgentVersion, settings.StateDirectory, settings.HostBootId)
                {
                    HeartbeatInterval = settings.HeartbeatInterval,
                    MaxBackoff = settings.ReconnectMaxBackoff,
                }, transport, clock));
            AgentChild[] monitors =
            [
                new("kernel", up => Props.Create(() => new KernelMonitor(kernelLog, settings.Catalog, up, clock, settings.Kernel))),
                new("storage", up => Props.Create(() => new DormantMonitor(ConditionType.StorageReady, up))),
                new("networking", up => Props.Create(() => new DormantMonitor(ConditionType.NetworkingReady, up))),
                new("container-runtime", up => Props.Create(() => new DormantMonitor(ConditionType.ContainerRuntimeReady, up))),
                new("accelerator", up => Props.Create(() => new DormantMonitor(ConditionType.AcceleratedHardwareReady, up))),
            ];
            var supervisor = system.ActorOf(Props.Create(() => new AgentSupervisor(uplink, monitors, settings.Backoff)), SupervisorName);
            registry.Register<AgentSupervisor>(supervisor);
        });
    }
}

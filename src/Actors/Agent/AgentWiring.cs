using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Agent.Accelerators;
using NodeHealth.Actors.Agent.ContainerRuntime;
using NodeHealth.Actors.Agent.Idle;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.Actors.Agent.KernelProbes;
using NodeHealth.Actors.Agent.Networking;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Agent.Reboot;
using NodeHealth.Actors.Agent.Storage;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection.Accelerators;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Agent;

/// <summary>
/// What the agent needs that is not an adapter: who it is, where it keeps state, which rules it runs.
/// <paramref name="HostBootId"/> is the node's kernel boot id at agent start (empty when unreadable).
/// </summary>
public sealed record AgentSettings(string NodeName, string AgentVersion, string StateDirectory, ReasonCatalog Catalog, string HostBootId = "")
{
    public LogMonitorSettings Kernel { get; init; } = new();
    public KernelProbeSettings KernelProbes { get; init; } = new();
    public StorageMonitorSettings Storage { get; init; } = new();
    public NetworkingSettings Networking { get; init; } = new();
    public ContainerRuntimeSettings ContainerRuntime { get; init; } = new();
    public AcceleratorSettings Accelerators { get; init; } = new();

    /// <summary>Whether and how the agent reboots its host when the coordinator commands it (off by default).</summary>
    public RebootSettings Reboot { get; init; } = RebootSettings.Disabled;

    /// <summary>Where the host's "/" is (HOST_ROOT): probes read /sys and /proc under it.</summary>
    public string HostRoot { get; init; } = "/";
    public AgentBackoff Backoff { get; init; } = AgentBackoff.Default;

    /// <summary>How often the uplink tells the coordinator it is alive; the coordinator's agent lease must span several.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = UplinkSettings.DefaultHeartbeatInterval;

    /// <summary>The longest wait between attempts to reach the coordinator again.</summary>
    public TimeSpan ReconnectMaxBackoff { get; init; } = UplinkSettings.DefaultMaxBackoff;
}

public static class AgentWiring
{
    public const string SupervisorName = "agent";

    /// <summary>
    /// The agent's actors: uplink plus one monitor per subsystem and one log monitor per log (the kernel log's is
    /// named "kernel", the others by their source: journal-kubelet, file-messages), and the reboot executor, under <see cref="AgentSupervisor"/>.
    /// </summary>
    public static AkkaConfigurationBuilder AddNodeAgent(
        this AkkaConfigurationBuilder builder,
        AgentSettings settings,
        IReadOnlyList<ILogSource> logs,
        IUplinkTransport transport,
        TimeProvider clock,
        ProbeHost probeHost)
    {
        return builder.WithActors((system, registry) =>
        {
            var uplink = Props.Create(() => new UplinkActor(
                new UplinkSettings(settings.NodeName, settings.AgentVersion, settings.StateDirectory, settings.HostBootId)
                {
                    HeartbeatInterval = settings.HeartbeatInterval,
                    MaxBackoff = settings.ReconnectMaxBackoff,
                }, transport, clock));
            // One map of the node's GPUs (bus id → UUID), so that kernel-log, nvidia-smi and DCGM findings name a GPU alike.
            var gpus = new GpuIdentities();
            var logSettings = settings.Kernel with { Detection = settings.Kernel.Detection with { Gpus = gpus } };
            var accelerators = settings.Accelerators with { Gpus = gpus };
            AgentChild[] monitors =
            [
                .. logs.Select(log => new AgentChild(log.Name == "kmsg" ? "kernel" : log.Name,
                    up => Props.Create(() => new LogMonitor(log, settings.Catalog, up, clock, logSettings)))),
                new("kernel-probes", up => KernelProbeMonitor.Props(probeHost, settings.KernelProbes, settings.Catalog, up, clock)),
                new("storage", up => StorageMonitor.Props(probeHost, settings.Storage, settings.Catalog, up, clock)),
                new("networking", up => NetworkingMonitor.Props(new RootedHostFiles(settings.HostRoot), new HostCommands(), settings.Catalog, up, clock, settings.Networking)),
                new("container-runtime", up => ContainerRuntimeMonitor.Props(probeHost, settings.ContainerRuntime, settings.Catalog, up, clock)),
                new("accelerator", up => AcceleratorMonitor.Props(probeHost.Files, probeHost.Commands, settings.Catalog, up, clock, accelerators)),
                new("reboot", up => RebootExecutor.Props(settings.Reboot, settings.StateDirectory, settings.HostBootId, up, clock)),
            ];
            var supervisor = system.ActorOf(Props.Create(() => new AgentSupervisor(uplink, monitors, settings.Backoff)), SupervisorName);
            registry.Register<AgentSupervisor>(supervisor);
        });
    }
}

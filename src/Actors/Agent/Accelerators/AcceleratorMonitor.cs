using Akka.Actor;
using Akka.Event;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection.Accelerators;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Agent.Accelerators;

/// <summary>
/// How the accelerator monitor looks. <see cref="ExpectedGpuCount"/> (0: unset) makes a node an NVIDIA node even when
/// its PCI list shows fewer GPUs, so that a missing GPU is NvidiaDeviceCountMismatch rather than "no hardware".
/// Tool paths are the host's (run chrooted into HOST_ROOT); a tool that is not there turns its probe inactive.
/// </summary>
public sealed record AcceleratorSettings
{
    public int ExpectedGpuCount { get; init; }
    public TimeSpan PresenceEvery { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan NvidiaSmiEvery { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan DcgmEvery { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan FabricManagerEvery { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A healthy nvidia-smi answers in well under a second even with 8 GPUs; one that takes this long is hung.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive deadlines missed before a hung nvidia-smi is itself a finding (NvidiaSmiUnresponsive).</summary>
    public int TimeoutsBeforeFinding { get; init; } = 3;

    /// <summary>How long DCGM may not answer before DCGMError (EKS: DCGM_GRACE_PERIOD_DURATION, 1 min).</summary>
    public TimeSpan DcgmGracePeriod { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>nv-hostengine's address for `dcgmi --host` (EKS: DCGM_ADDRESS); null: dcgmi's default, localhost.</summary>
    public string? DcgmAddress { get; init; }

    public string NvidiaSmi { get; init; } = "/usr/bin/nvidia-smi";
    public string Dcgmi { get; init; } = "/usr/bin/dcgmi";
    public string Systemctl { get; init; } = "/usr/bin/systemctl";
    public ProbeMonitorSettings Monitor { get; init; } = new();

    /// <summary>The agent's GPU map, shared with its log sources (nvidia-smi and DCGM teach it UUIDs); null: the probes keep their own.</summary>
    public GpuIdentities? Gpus { get; init; }
}

/// <summary>
/// AcceleratedHardwareReady's gate: finds the node's accelerators in its PCI list and reports them as the condition's
/// <see cref="MonitorStatusBoard.PresenceComponent"/>: Absent where there are none (the condition is not published
/// and accelerator kernel-log findings hold no fault), Active with the hardware's ready reason where there are. On an
/// NVIDIA node it then runs the polled checks (nvidia-smi, DCGM, Fabric Manager) as a child <see cref="ProbeMonitor"/>.
/// Hardware once found stays found for the agent's life: a GPU that falls off the bus is a fault, not an absence.
/// </summary>
public sealed class AcceleratorMonitor : ReceiveActor, IWithTimers
{
    public const string NotPresentReason = "AcceleratorNotPresent";
    public const string UnreadableReason = "PciListUnreadable";

    private readonly IHostFiles _host;
    private readonly ReasonCatalog _catalog;
    private readonly IActorRef _uplink;
    private readonly AcceleratorSettings _settings;
    private readonly Func<IReadOnlyList<IProbe>> _nvidiaProbes;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private MonitorStatus? _status;
    private AcceleratorKind _found;

    public AcceleratorMonitor(IHostFiles host, IHostCommands commands, ReasonCatalog catalog, IActorRef uplink, TimeProvider clock, AcceleratorSettings settings)
    {
        _host = host;
        _catalog = catalog;
        _uplink = uplink;
        _clock = clock;
        _settings = settings;
        _nvidiaProbes = () => [new NvidiaSmiProbe(host, commands, settings), new DcgmProbe(commands, settings, clock), new FabricManagerProbe(host, commands, settings)];

        Receive<Scan>(_ => Task.Run(() => AcceleratorInventory.Of(PciDeviceList.Read(_host) ?? [])).PipeTo(Self,
            success: inventory => new Scanned(inventory, null),
            failure: error => new Scanned(null, error.GetBaseException())));
        Receive<Scanned>(Found);
        Receive<UplinkStarted>(_ =>
        {
            if (_status is { } status)
                _uplink.Tell(new ReportMonitorStatus(status) { Component = MonitorStatusBoard.PresenceComponent });
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IHostFiles host, IHostCommands commands, ReasonCatalog catalog, IActorRef uplink, TimeProvider clock, AcceleratorSettings settings) =>
        Akka.Actor.Props.Create(() => new AcceleratorMonitor(host, commands, catalog, uplink, clock, settings));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(UplinkStarted));
        Report(MonitorState.Starting, MonitorStatuses.StartingReason, $"Has not read {PciDeviceList.Directory} under {_host.Root} yet");
        Self.Tell(Scan.Instance);
    }

    private void Found(Scanned scanned)
    {
        if (scanned.Inventory is not { } inventory)
        {
            if (scanned.Error is not ProbeUnavailableException)
                throw new InvalidOperationException("Reading the PCI device list failed unexpectedly", scanned.Error);
            Report(MonitorState.Failed, UnreadableReason, scanned.Error.Message);
            Timers.StartSingleTimer(Scan.Instance, Scan.Instance, _settings.PresenceEvery);
            return;
        }

        var kind = inventory.Kind == AcceleratorKind.None && _settings.ExpectedGpuCount > 0 ? AcceleratorKind.Nvidia : inventory.Kind;
        if (kind == AcceleratorKind.None)
        {
            Report(MonitorState.Absent, NotPresentReason,
                $"{PciDeviceList.Directory} under {_host.Root} shows {inventory.Describe()}: AcceleratedHardwareReady is not published");
            Timers.StartSingleTimer(Scan.Instance, Scan.Instance, _settings.PresenceEvery); // A driver bound late, or a hot-plugged device.
            return;
        }

        var ready = (_catalog.Definition(ConditionType.AcceleratedHardwareReady)
            ?? throw new CatalogException("The catalog does not define AcceleratedHardwareReady")).ReadyFor(kind.ToString().ToLowerInvariant());
        Report(MonitorState.Active, ready.ReadyReason, $"{ready.ReadyMessage} ({inventory.Describe()})");
        if (_found != AcceleratorKind.None)
            return;
        _found = kind;
        _log.Info("Accelerators: {0}", inventory.Describe());
        if (kind == AcceleratorKind.Nvidia)
        {
            var probes = _nvidiaProbes();
            Context.ActorOf(Akka.Actor.Props.Create(() => new ProbeMonitor(probes, _catalog, _uplink, _clock, _settings.Monitor)), "nvidia-probes");
        }
    }

    private void Report(MonitorState state, string reason, string detail)
    {
        var status = new MonitorStatus(ConditionType.AcceleratedHardwareReady, state, reason, detail);
        if (status == _status)
            return;
        _status = status;
        _uplink.Tell(new ReportMonitorStatus(status) { Component = MonitorStatusBoard.PresenceComponent });
    }

    private sealed record Scan
    {
        public static readonly Scan Instance = new();
    }

    private sealed record Scanned(AcceleratorInventory? Inventory, Exception? Error);
}

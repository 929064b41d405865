using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Agent.Accelerators;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Tests.Agent.Networking;
using NodeHealth.Contracts;
using static NodeHealth.Actors.Tests.Agent.Accelerators.RecordedOutputs;

namespace NodeHealth.Actors.Tests.Agent.Accelerators;

public sealed class AcceleratorMonitorTests : TestKit
{
    private readonly SysfsTree _host = new();
    private readonly FakeTools _tools = new();
    private readonly Akka.TestKit.TestProbe _uplink;

    public AcceleratorMonitorTests() => _uplink = CreateTestProbe();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _host.Dispose();
        _tools.Dispose();
    }

    private void Start(int expected = 0) => Sys.ActorOf(AcceleratorMonitor.Props(new RootedHostFiles(_host.Root), new HostCommands(), CatalogLoader.LoadBuiltIn(),
        _uplink.Ref, TimeProvider.System, new AcceleratorSettings
        {
            ExpectedGpuCount = expected,
            NvidiaSmi = _tools.PathOf("nvidia-smi"),
            Dcgmi = _tools.PathOf("dcgmi"),
            Systemctl = _tools.PathOf("systemctl"),
            CommandTimeout = TimeSpan.FromSeconds(5),
        }));

    private ReportMonitorStatus Next(string component) => Statuses(component)[component];

    /// <summary>The first settled (not Starting) status of each component, whatever order they come in.</summary>
    private Dictionary<string, ReportMonitorStatus> Statuses(params string[] components)
    {
        var seen = new Dictionary<string, ReportMonitorStatus>();
        _uplink.FishForMessage<ReportMonitorStatus>(r =>
        {
            if (r.Status.State != MonitorState.Starting)
                seen.TryAdd(r.Component, r);
            return components.All(seen.ContainsKey);
        }, TimeSpan.FromSeconds(5));
        return seen;
    }

    [Fact]
    public void A_node_without_accelerators_reports_the_hardware_absent_and_runs_no_probes()
    {
        PciTree.Device(_host, "0000:00:05.0", "0x1d0f", "0xec20", "0x020000");
        Start();

        var presence = Next(MonitorStatusBoard.PresenceComponent);

        Assert.Equal((ConditionType.AcceleratedHardwareReady, MonitorState.Absent, "AcceleratorNotPresent"), (presence.Status.Condition, presence.Status.State, presence.Status.Reason));
        _uplink.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void An_nvidia_node_shows_NvidiaGPUIsReady_and_polls_nvidia_smi()
    {
        PciTree.EightH100s(_host);
        _tools.NvidiaSmi(EightHealthyGpus, RemappedRowsHealthy, NvLinkAllUp);
        Start(expected: 8);

        var statuses = Statuses(MonitorStatusBoard.PresenceComponent, "probe-nvidia-smi", "probe-dcgm", "probe-fabric-manager");

        var presence = statuses[MonitorStatusBoard.PresenceComponent].Status;
        Assert.Equal((MonitorState.Active, "NvidiaGPUIsReady"), (presence.State, presence.Reason));
        Assert.Contains("8 NVIDIA GPUs (0000:53:00,", presence.Detail);
        Assert.Equal(MonitorState.Active, statuses["probe-nvidia-smi"].Status.State);
        Assert.Equal(MonitorState.Inactive, statuses["probe-dcgm"].Status.State); // dcgmi is not installed.
        Assert.Equal(MonitorState.Inactive, statuses["probe-fabric-manager"].Status.State); // No NVSwitch.
    }

    [Fact]
    public void A_neuron_node_shows_NeuronAcceleratedHardwareIsReady()
    {
        PciTree.Device(_host, "0000:10:1c.0", "0x1d0f", "0x7164", "0x058000");
        Start();

        var presence = Next(MonitorStatusBoard.PresenceComponent);

        Assert.Equal((MonitorState.Active, "NeuronAcceleratedHardwareIsReady"), (presence.Status.State, presence.Status.Reason));
    }

    [Fact]
    public void An_expected_gpu_count_on_a_node_whose_pci_list_shows_none_is_an_nvidia_node_missing_its_gpus()
    {
        _host.Directory_("/sys/bus/pci/devices");
        Start(expected: 8);

        Assert.Equal("NvidiaGPUIsReady", Next(MonitorStatusBoard.PresenceComponent).Status.Reason);
        var published = _uplink.FishForMessage<PublishFindings>(p => p.Findings.Count > 0, TimeSpan.FromSeconds(5));
        Assert.Equal(("NvidiaDeviceCountMismatch", "0 of the 8 expected NVIDIA GPUs are in the PCI device list (" + _tools.PathOf("nvidia-smi") + " is not installed, so only the PCI list is checked)"),
            (published.Findings[0].Reason, published.Findings[0].Message));
    }

    [Fact]
    public void Dcgm_incidents_on_an_nvidia_node_are_published_as_concrete_health_codes()
    {
        PciTree.EightH100s(_host);
        _tools.NvidiaSmi(EightHealthyGpus, RemappedRowsHealthy, NvLinkAllUp);
        _tools.Replaying("dcgmi", DcgmDoubleBitFailureAndReplayWarning);
        Start(expected: 8);

        var published = _uplink.FishForMessage<PublishFindings>(p => p.Source == "probe-dcgm" && p.Findings.Count > 0, TimeSpan.FromSeconds(5));

        Assert.Equal([("DCGMHealthCode4", Severity.Fatal, "GPU 0"), ("DCGMHealthCode3", Severity.Warning, "GPU 1")],
            published.Findings.Select(f => (f.Reason, f.Severity, f.Entity!)));
    }
}

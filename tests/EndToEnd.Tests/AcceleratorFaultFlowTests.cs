using System.Diagnostics;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// An XID line in the real /dev/kmsg, through a real agent whose HOST_ROOT shows an NVIDIA GPU in its PCI list (a
/// fake root whose dev/ is the real one), into a real coordinator: AcceleratedHardwareReady turns False.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AcceleratorFaultFlowTests : IAsyncLifetime
{
    private const string GpuBusId = "0000:3b:00";
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _root = Paths.TempDirectory("nh-gpu-root");
    private readonly CoordinatorUnderTest _coordinator;
    private readonly AgentUnderTest _agent;

    public AcceleratorFaultFlowTests()
    {
        _coordinator = new CoordinatorUnderTest(Database.Sqlite());
        _agent = new AgentUnderTest(_coordinator, $"e2e-gpu-{_run}");
    }

    public async Task InitializeAsync()
    {
        // As sysfs shows an H100 at 0000:3b:00.0: vendor 0x10de, class 0x030200 (3D controller).
        var device = Directory.CreateDirectory(Path.Combine(_root, "sys", "bus", "pci", "devices", GpuBusId + ".0")).FullName;
        File.WriteAllText(Path.Combine(device, "vendor"), "0x10de\n");
        File.WriteAllText(Path.Combine(device, "device"), "0x2330\n");
        File.WriteAllText(Path.Combine(device, "class"), "0x030200\n");
        Directory.CreateSymbolicLink(Path.Combine(_root, "dev"), "/dev");
        Directory.CreateSymbolicLink(Path.Combine(_root, "proc"), "/proc");
        _agent.Environment["HOST_ROOT"] = _root;
        await _coordinator.StartAsync();
        await _agent.StartAsync();
        await Eventually.TrueAsync(async () => await _coordinator.NodeAsync(_agent.NodeName) is not null,
            TimeSpan.FromSeconds(30), () => "the agent never said hello:\n" + _agent.Output);
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _coordinator.DisposeAsync();
        Directory.Delete(_root, recursive: true); // Only the symbolic links go, never what they point to.
    }

    [Fact]
    public async Task Xid_79_line_turns_accelerated_hardware_not_ready_naming_the_GPU()
    {
        var clock = Stopwatch.StartNew();
        // The tag is the process name, so no other test (nor the host) can be mistaken for this one.
        KernelLog.Write($"<4>NVRM: Xid (PCI:{GpuBusId}): 79, pid=4242, name=e2e-{_run}, GPU has fallen off the bus.");

        var view = await Eventually.ValueAsync(() => _coordinator.NodeAsync(_agent.NodeName),
            v => v.Condition("AcceleratedHardwareReady").Text("status") == "False",
            TimeSpan.FromSeconds(10), v => $"AcceleratedHardwareReady is not False after {clock.Elapsed}: {v}\nagent:\n{_agent.Output}\ncoordinator:\n{_coordinator.Output}");

        var condition = view!.Condition("AcceleratedHardwareReady");
        Assert.Equal("NvidiaXID79Error", condition.Text("reason"));
        Assert.Contains($"XID 79 on GPU {GpuBusId}: pid=4242, name=e2e-{_run}, GPU has fallen off the bus.", condition.Text("message"));
        var finding = Assert.Single(view.Findings(), f => f.Text("reason") == "NvidiaXID79Error" && f.Text("message")!.Contains($"e2e-{_run}"));
        Assert.Equal(("Fatal", "kmsg", GpuBusId), (finding.Text("severity"), finding.Text("source"), finding.Text("entity")));
        Assert.Equal("True", view.Condition("KernelReady").Text("status")); // The GPU's fault is not the kernel's.
    }
}

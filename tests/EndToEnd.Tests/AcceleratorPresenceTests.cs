using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// AcceleratedHardwareReady follows the PCI list under HOST_ROOT: published with NvidiaGPUIsReady where it shows an
/// NVIDIA GPU, absent elsewhere, where an accelerator fault line is recorded but sets no condition.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AcceleratorPresenceTests : IAsyncLifetime
{
    private const string Reason = "E2EAcceleratorFault";
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _scratch = Paths.TempDirectory("nh-accelerators");
    private CoordinatorUnderTest _coordinator = null!;
    private string _catalog = "";

    public async Task InitializeAsync()
    {
        _catalog = Path.Combine(_scratch, "catalog.yaml");
        File.WriteAllText(_catalog, $$"""
            conditions:
              - type: AcceleratedHardwareReady
                reasons:
                  - { reason: {{Reason}}, severity: Fatal, source: kmsg, match: 'node-health-e2e-{{_run}} gpu: (?<what>.+)', recovery: manual }
            """);
        _coordinator = new CoordinatorUnderTest(Database.Sqlite(), [_catalog]);
        await _coordinator.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _coordinator.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    /// <summary>An agent whose HOST_ROOT shows these PCI functions (address, vendor, class) and whose kernel log is a file the test appends to.</summary>
    private AgentUnderTest Agent(string name, params (string Address, string Vendor, string Class)[] devices)
    {
        var root = Path.Combine(_scratch, name);
        Directory.CreateDirectory(Path.Combine(root, "sys/bus/pci/devices"));
        foreach (var (address, vendor, @class) in devices)
        {
            var dir = Path.Combine(root, "sys/bus/pci/devices", address);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "vendor"), vendor + "\n");
            File.WriteAllText(Path.Combine(dir, "device"), "0x2330\n");
            File.WriteAllText(Path.Combine(dir, "class"), @class + "\n");
        }
        File.WriteAllText(Path.Combine(_scratch, name + ".log"), "");
        var agent = new AgentUnderTest(_coordinator, $"e2e-{name}-{_run}", [_catalog]);
        agent.Environment["HOST_ROOT"] = root;
        agent.ExtraArguments.Add($"--Agent:KernelLogFile={Path.Combine(_scratch, name + ".log")}");
        return agent;
    }

    private void Line(string name, string what) =>
        File.AppendAllText(Path.Combine(_scratch, name + ".log"), $"<2>node-health-e2e-{_run} gpu: {what}\n");

    [Fact]
    public async Task A_gpu_node_publishes_NvidiaGPUIsReady_and_a_cpu_node_records_the_same_fault_line_without_a_condition()
    {
        await using var gpu = Agent("gpu", ("0000:53:00.0", "0x10de", "0x030200"));
        await using var cpu = Agent("cpu", ("0000:00:05.0", "0x1d0f", "0x020000"));
        await gpu.StartAsync();
        await cpu.StartAsync();

        var ready = await ConditionBecomesAsync(gpu, "True", "NvidiaGPUIsReady");
        Assert.Contains("Nvidia", ready.Condition("AcceleratedHardwareReady").Text("message"));

        Line("cpu", "double-bit ECC");
        Line("gpu", "double-bit ECC");
        var faulted = await ConditionBecomesAsync(gpu, "False", Reason);
        Assert.EndsWith("gpu: double-bit ECC", faulted.Condition("AcceleratedHardwareReady").Text("message"));

        var cpuView = await Eventually.ValueAsync(() => _coordinator.NodeAsync(cpu.NodeName), v => v.Findings().Any(f => f.Text("reason") == Reason),
            TimeSpan.FromSeconds(30), v => $"the cpu node never recorded {Reason}: {v}\nagent:\n{cpu.Output}");
        Assert.Null(cpuView.Condition("AcceleratedHardwareReady"));
        Assert.Contains(cpuView.Events(), e => e.Text("reason") == Reason && e.Text("type") == "Warning");
    }

    private async Task<System.Text.Json.Nodes.JsonObject?> ConditionBecomesAsync(AgentUnderTest agent, string status, string reason) =>
        await Eventually.ValueAsync(() => _coordinator.NodeAsync(agent.NodeName),
            v => v.Condition("AcceleratedHardwareReady").Text("status") == status && v.Condition("AcceleratedHardwareReady").Text("reason") == reason,
            TimeSpan.FromSeconds(30), v => $"AcceleratedHardwareReady is not {status}/{reason}: {v}\nagent:\n{agent.Output}");
}

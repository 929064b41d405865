using System.Diagnostics;
using System.Text.Json.Nodes;
using NodeHealth.EndToEnd.Tests.Support;
using NodeHealth.NodeHost.Tests.ContainerRuntime;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// A real agent whose HOST_ROOT holds a container runtime socket, served by a real gRPC server playing containerd's
/// CRI: RuntimeReady false turns ContainerRuntimeReady False, and the runtime reporting ready clears it by the probe.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ContainerRuntimeFlowTests : IAsyncLifetime
{
    private readonly string _node = $"e2e-cri-{Guid.NewGuid().ToString("N")[..8]}";
    private readonly string _root = Paths.TempDirectory("nh-root");
    private readonly CoordinatorUnderTest _coordinator;
    private readonly AgentUnderTest _agent;
    private FakeCriServer? _runtime;

    public ContainerRuntimeFlowTests()
    {
        _coordinator = new CoordinatorUnderTest(Database.Sqlite());
        _agent = new AgentUnderTest(_coordinator, _node);
    }

    public async Task InitializeAsync()
    {
        // The real /dev (the kernel log) and /proc, and a runtime socket of our own at the default path.
        Directory.CreateSymbolicLink(Path.Combine(_root, "dev"), "/dev");
        Directory.CreateSymbolicLink(Path.Combine(_root, "proc"), "/proc");
        _runtime = await FakeCriServer.StartAsync(Path.Combine(_root, "run", "containerd", "containerd.sock"));
        _runtime.Mode = FakeCriServer.Behaviour.NotReady;
        _agent.Environment["HOST_ROOT"] = _root;
        await _coordinator.StartAsync();
        await _agent.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _coordinator.DisposeAsync();
        if (_runtime is not null)
            await _runtime.DisposeAsync();
        Directory.Delete(_root, recursive: true); // Only the symbolic links go, never what they point to.
    }

    [Fact]
    public async Task A_runtime_reporting_not_ready_turns_ContainerRuntimeReady_false_and_ready_again_clears_it()
    {
        var down = await ContainerRuntimeBecomesAsync("False", TimeSpan.FromSeconds(30));

        var fault = Assert.Single(down.Condition("ContainerRuntimeReady")!["activeFaults"]!.AsArray().Select(f => f!.AsObject()));
        Assert.Equal(("ContainerRuntimeNotReady", "Probe"), (fault.Text("reason"), fault.Text("recovery")));
        Assert.Contains("RuntimeReady is false: ContainerdNotReady: cri plugin is not initialized", fault.Text("message"));

        _runtime!.Mode = FakeCriServer.Behaviour.Healthy;

        var up = await ContainerRuntimeBecomesAsync("True", TimeSpan.FromSeconds(20)); // One 10 s poll and the uplink.
        Assert.Equal("ContainerRuntimeIsReady", up.Condition("ContainerRuntimeReady").Text("reason"));
    }

    private async Task<JsonObject> ContainerRuntimeBecomesAsync(string status, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var view = await Eventually.ValueAsync(() => _coordinator.NodeAsync(_node),
            v => v.Condition("ContainerRuntimeReady").Text("status") == status,
            within, v => $"ContainerRuntimeReady is not {status} after {clock.Elapsed}: {v}\nagent:\n{_agent.Output}\ncoordinator:\n{_coordinator.Output}");
        return view!;
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// A real interface going down and up again (a veth pair in its own network namespace), through a real
/// agent's networking probe, into a real coordinator: the fault within 10 s, cleared by the probe's recovery.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class InterfaceFaultFlowTests : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _node;
    private readonly CoordinatorUnderTest _coordinator;
    private readonly AgentUnderTest _agent;
    private NetworkNamespace? _namespace;

    public InterfaceFaultFlowTests()
    {
        _node = $"e2e-net-{_run}";
        _coordinator = new CoordinatorUnderTest(Database.Sqlite());
        _agent = new AgentUnderTest(_coordinator, _node);
    }

    public async Task InitializeAsync()
    {
        _namespace = NetworkNamespace.Create(_run);
        _agent.Environment["HOST_ROOT"] = _namespace.Root;
        await _coordinator.StartAsync();
        await _agent.StartAsync();
        await NetworkingBecomesAsync("True", TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _coordinator.DisposeAsync();
        _namespace?.Dispose();
    }

    [Fact]
    public async Task Interface_set_down_turns_networking_false_within_ten_seconds_and_up_again_clears_it_by_the_probe()
    {
        var link = _namespace!.Left;
        var mac = _namespace.Mac(link);
        var clock = Stopwatch.StartNew();
        _namespace.Set(link, up: false);

        var down = await NetworkingBecomesAsync("False", TimeSpan.FromSeconds(10));

        var faults = down.Condition("NetworkingReady")!["activeFaults"]!.AsArray().Select(f => f!.AsObject()).ToList();
        var notUp = Assert.Single(faults, f => f.Text("reason") == "InterfaceNotUp");
        Assert.Equal($"interface {link} ({mac}) is not up (operstate down)", notUp.Text("message"));
        Assert.Equal("Probe", notUp.Text("recovery"));
        var finding = Assert.Single(down.Findings(), f => f.Text("reason") == "InterfaceNotUp");
        Assert.Equal(("probe-interfaces", link), (finding.Text("source"), finding.Text("entity")));

        clock.Restart();
        _namespace.Set(link, up: true);

        var up = await NetworkingBecomesAsync("True", TimeSpan.FromSeconds(10));
        Assert.Equal("NetworkingIsReady", up.Condition("NetworkingReady").Text("reason"));
        Assert.Contains(up.Events(), e => e.Text("type") == "Normal" && e.Text("message") == $"InterfaceNotUp cleared: probe interfaces: {link} passed again");
    }

    private async Task<JsonObject> NetworkingBecomesAsync(string status, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var view = await Eventually.ValueAsync(() => _coordinator.NodeAsync(_node),
            v => v.Condition("NetworkingReady").Text("status") == status,
            within, v => $"NetworkingReady is not {status} after {clock.Elapsed}: {v}\nagent:\n{_agent.Output}\ncoordinator:\n{_coordinator.Output}");
        return view!;
    }
}

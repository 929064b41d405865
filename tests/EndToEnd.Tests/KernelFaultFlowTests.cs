using System.Diagnostics;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>A line in the real /dev/kmsg, through a real agent process, into a real coordinator's node view.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class KernelFaultFlowTests : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _node;
    private readonly string _catalog;
    private readonly CoordinatorUnderTest _coordinator;
    private readonly AgentUnderTest _agent;

    public KernelFaultFlowTests()
    {
        _node = $"e2e-kernel-{_run}";
        _catalog = Path.Combine(Path.GetTempPath(), $"nh-catalog-{_run}.yaml");
        TestCatalog.WriteFatal(_catalog, _run, recovery: "manual");
        _coordinator = new CoordinatorUnderTest(Database.Sqlite(), [_catalog]);
        _agent = new AgentUnderTest(_coordinator, _node, [_catalog]);
    }

    public async Task InitializeAsync()
    {
        await _coordinator.StartAsync();
        await _agent.StartAsync();
        await Eventually.TrueAsync(async () => await _coordinator.NodeAsync(_node) is not null,
            TimeSpan.FromSeconds(30), () => "the agent never said hello:\n" + _agent.Output);
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _coordinator.DisposeAsync();
        File.Delete(_catalog);
    }

    [Fact]
    public async Task Soft_lockup_written_to_dev_kmsg_shows_as_a_warning_event_within_five_seconds()
    {
        var clock = Stopwatch.StartNew();
        KernelLog.Write($"<4>watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [stress-e2e-{_run}:1234]");
        bool Ours(System.Text.Json.Nodes.JsonObject item) => item.Text("reason") == "SoftLockup" && item.Text("message")!.Contains($"e2e-{_run}");

        var view = await Eventually.ValueAsync(() => _coordinator.NodeAsync(_node),
            v => v.Events().Any(Ours),
            TimeSpan.FromSeconds(5), v => $"no SoftLockup event after {clock.Elapsed}: {v}\nagent:\n{_agent.Output}\ncoordinator:\n{_coordinator.Output}");

        var finding = Assert.Single(view!.Findings(), Ours);
        Assert.Equal("Warning", finding.Text("severity"));
        Assert.Equal("KernelReady", finding.Text("condition"));
        Assert.Equal($"CPU#1 stuck for 23s [stress-e2e-{_run}:1234]", finding.Text("message"));
        var warning = Assert.Single(view.Events(), Ours);
        Assert.Equal("Warning", warning.Text("type"));
        Assert.Equal($"SoftLockup: CPU#1 stuck for 23s [stress-e2e-{_run}:1234]", warning.Text("message"));
        Assert.Equal("True", view.Condition("KernelReady").Text("status")); // A warning never flips the condition.
        Assert.Equal("KernelIsReady", view.Condition("KernelReady").Text("reason"));
    }

    [Fact]
    public async Task Fatal_line_turns_KernelReady_false_and_a_second_keeps_the_transition_time()
    {
        KernelLog.Write(TestCatalog.FatalLine(_run, "first machine check"));
        var first = await Eventually.ValueAsync(() => _coordinator.NodeAsync(_node),
            v => v.Condition("KernelReady").Text("status") == "False",
            TimeSpan.FromSeconds(10), v => $"KernelReady did not turn False: {v}\nagent:\n{_agent.Output}");
        var kernelReady = first!.Condition("KernelReady");
        Assert.Equal("E2EFatalFault", kernelReady.Text("reason"));
        var transitionedAt = kernelReady.Text("lastTransitionTime");

        KernelLog.Write(TestCatalog.FatalLine(_run, "second machine check"));
        var second = await Eventually.ValueAsync(() => _coordinator.NodeAsync(_node),
            v => v.Findings().Count(f => f.Text("reason") == "E2EFatalFault") == 2,
            TimeSpan.FromSeconds(10), v => $"second fatal finding missing: {v}");

        var stillFalse = second!.Condition("KernelReady");
        Assert.Equal("False", stillFalse.Text("status"));
        Assert.Equal("E2EFatalFault", stillFalse.Text("reason"));
        Assert.Equal(transitionedAt, stillFalse.Text("lastTransitionTime"));
        Assert.Contains("second machine check", stillFalse.Text("message"));
    }
}

using System.Collections.Concurrent;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// Repair controllers time repairs from lastTransitionTime: an agent restart (SIGTERM or SIGKILL) must
/// not make a condition disappear, flip, or move its transition time — neither True nor held False by a fault.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AgentRestartTests : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _catalog;
    private readonly CoordinatorUnderTest _coordinator;
    private readonly AgentUnderTest _agent;

    public AgentRestartTests()
    {
        _catalog = TestCatalog.WriteFatal(Path.Combine(Path.GetTempPath(), $"nh-catalog-{_run}.yaml"), _run, recovery: "manual");
        _coordinator = new CoordinatorUnderTest(Database.Sqlite(), [_catalog]);
        _agent = new AgentUnderTest(_coordinator, $"e2e-restart-{_run}", [_catalog]);
    }

    public async Task InitializeAsync()
    {
        await _coordinator.StartAsync();
        await _agent.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _coordinator.DisposeAsync();
        File.Delete(_catalog);
    }

    [Fact]
    public async Task A_true_condition_keeps_status_reason_and_transition_time_through_agent_restarts()
    {
        var healthy = await _agent.KernelReadyBecomesAsync("True", "KernelIsReady");

        await AssertUnchangedThroughRestarts(healthy.Condition("KernelReady")!);
    }

    [Fact]
    public async Task A_condition_held_false_by_a_fault_keeps_it_through_agent_restarts()
    {
        await _agent.KernelReadyBecomesAsync("True", "KernelIsReady");
        KernelLog.Write(TestCatalog.FatalLine(_run, "machine check"));
        var faulted = await _agent.KernelReadyBecomesAsync("False", TestCatalog.FatalReason);

        await AssertUnchangedThroughRestarts(faulted.Condition("KernelReady")!);
    }

    /// <summary>Watches the condition without pause while the agent is stopped, killed and restarted.</summary>
    private async Task AssertUnchangedThroughRestarts(System.Text.Json.Nodes.JsonObject expected)
    {
        var want = Describe(expected);
        var seen = new ConcurrentQueue<string>();
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                seen.Enqueue(Describe((await _coordinator.NodeAsync(_agent.NodeName)).Condition("KernelReady")));
                await Task.Delay(20);
            }
        });

        var connections = Connections();
        await _agent.StopAsync();
        await _agent.StartAsync();
        await ReportedAfterRestart(connections);
        connections = Connections();
        await _agent.CrashAsync();
        await _agent.StartAsync();
        await ReportedAfterRestart(connections);
        await watching.CancelAsync();
        await watcher;

        Assert.True(seen.Count > 20, $"only {seen.Count} looks");
        Assert.All(seen, look => Assert.Equal(want, look));
    }

    /// <summary>The restarted agent connected again, and had a moment to report what its monitor sees.</summary>
    private async Task ReportedAfterRestart(int connectionsBefore)
    {
        await Eventually.TrueAsync(() => Task.FromResult(Connections() > connectionsBefore),
            TimeSpan.FromSeconds(30), () => "the restarted agent never connected:\n" + _agent.Output);
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    private int Connections() => _coordinator.Output.Split('\n').Count(l => l.Contains($"connected for node {_agent.NodeName}"));

    private static string Describe(System.Text.Json.Nodes.JsonObject? condition) =>
        condition is null ? "missing" : $"{condition.Text("status")}/{condition.Text("reason")}/{condition.Text("lastTransitionTime")}";
}

using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>Processes stop and come back; no acknowledged finding is lost and none is counted twice.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RecoveryTests(PostgresServer postgres)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Restarted_coordinator_serves_the_identical_node_state_from_its_journal(string provider)
    {
        await using var coordinator = new CoordinatorUnderTest(await DatabaseFor(provider));
        await coordinator.StartAsync();
        var node = $"e2e-restart-{_run}";
        await using (var agent = new AgentUnderTest(coordinator, node))
        {
            await agent.StartAsync();
            for (var cpu = 0; cpu < 3; cpu++)
                KernelLog.Write(SoftLockup(cpu));
            await WaitForFindings(coordinator, node, 3);
        }

        var before = (await coordinator.NodeAsync(node))!.ToJsonString();
        await coordinator.StopAsync();
        await coordinator.StartAsync();

        // Remember-entities brings the entity back, so the fleet list knows the node before anyone asks about it.
        await Eventually.TrueAsync(async () => (await coordinator.Http.GetStringAsync("/api/nodes")).Contains(node),
            TimeSpan.FromSeconds(10), () => "the node is missing from /api/nodes after the restart");
        var after = (await coordinator.NodeAsync(node))?.ToJsonString();
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("SIGTERM")]
    [InlineData("SIGKILL")]
    public async Task Restarted_agent_neither_repeats_nor_skips_a_finding(string stop)
    {
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        await coordinator.StartAsync();
        await using var agent = new AgentUnderTest(coordinator, $"e2e-agent-restart-{_run}");
        await agent.StartAsync();

        KernelLog.Write(SoftLockup(1));
        await WaitForFindings(coordinator, agent.NodeName, 1);
        KernelLog.Write($"<6>an ordinary line whose cursor a crash may lose [e2e-{_run}]"); // Re-read after a crash, and harmless.
        await (stop == "SIGKILL" ? agent.CrashAsync() : agent.StopAsync());
        KernelLog.Write(SoftLockup(2)); // Written while the agent is down.
        await agent.StartAsync();
        KernelLog.Write(SoftLockup(3));

        var view = await WaitForFindings(coordinator, agent.NodeName, 3);
        await Task.Delay(Settle);
        view = await coordinator.NodeAsync(agent.NodeName);
        for (var cpu = 1; cpu <= 3; cpu++)
            Assert.Equal(1, view.CountFindings(Message(cpu)));
        Assert.Equal(3, Ours(view).Count());
    }

    [Theory]
    [InlineData("Sqlite", "SIGTERM")]
    [InlineData("Sqlite", "SIGKILL")]
    [InlineData("PostgreSql", "SIGTERM")]
    [InlineData("PostgreSql", "SIGKILL")]
    public async Task Findings_written_while_the_coordinator_is_down_arrive_exactly_once_after_it_returns(string provider, string stop)
    {
        await using var coordinator = new CoordinatorUnderTest(await DatabaseFor(provider));
        await coordinator.StartAsync();
        await using var agent = new AgentUnderTest(coordinator, $"e2e-outage-{_run}");
        await agent.StartAsync();
        KernelLog.Write(SoftLockup(0));
        await WaitForFindings(coordinator, agent.NodeName, 1);

        await (stop == "SIGKILL" ? coordinator.CrashAsync() : coordinator.StopAsync());
        for (var cpu = 1; cpu <= 3; cpu++)
            KernelLog.Write(SoftLockup(cpu));
        await Task.Delay(TimeSpan.FromSeconds(1)); // The agent notices, spools, and backs off.
        await coordinator.StartAsync();

        await WaitForFindings(coordinator, agent.NodeName, 4);
        await Task.Delay(Settle);
        var view = await coordinator.NodeAsync(agent.NodeName);
        for (var cpu = 0; cpu <= 3; cpu++)
            Assert.Equal(1, view.CountFindings(Message(cpu)));
        Assert.Equal(4, Ours(view).Count());
    }

    private string SoftLockup(int cpu) => $"<4>watchdog: BUG: soft lockup - CPU#{cpu} stuck for 22s! [e2e-{_run}:{cpu}]";

    private string Message(int cpu) => $"CPU#{cpu} stuck for 22s [e2e-{_run}:{cpu}]";

    /// <summary>Findings from this run's lines; the host may log real faults meanwhile.</summary>
    private IEnumerable<System.Text.Json.Nodes.JsonObject> Ours(System.Text.Json.Nodes.JsonObject? view) =>
        view.Findings().Where(f => f.Text("message")!.Contains($"e2e-{_run}"));

    private async Task<System.Text.Json.Nodes.JsonObject?> WaitForFindings(CoordinatorUnderTest coordinator, string node, int count) =>
        await Eventually.ValueAsync(() => coordinator.NodeAsync(node),
            v => Ours(v).Count() >= count,
            Arrival, v => $"expected {count} findings of this run: {v}\ncoordinator:\n{coordinator.Output}");

    private async Task<Database> DatabaseFor(string provider) =>
        provider == "Sqlite" ? Database.Sqlite() : await postgres.CreateDatabaseAsync();
}

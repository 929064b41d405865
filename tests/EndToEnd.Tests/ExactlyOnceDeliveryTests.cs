using System.Text.Json.Nodes;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// Processes are killed where delivery is most fragile: findings spooled but not acknowledged, a
/// coordinator dying mid-stream. Each finding must show in the node view exactly once.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ExactlyOnceDeliveryTests(PostgresServer postgres)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Findings_sent_but_unacknowledged_when_the_agent_is_killed_arrive_exactly_once()
    {
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        await coordinator.StartAsync();
        await using var agent = new AgentUnderTest(coordinator, $"e2e-unacked-{_run}");
        await agent.StartAsync();
        KernelLog.Write(SoftLockup(0));
        await WaitForFindings(coordinator, agent.NodeName, 1);

        Signals.Freeze(coordinator); // Connected, receiving, and acknowledging nothing.
        try
        {
            for (var line = 1; line <= 3; line++)
                KernelLog.Write(SoftLockup(line));
            await Eventually.TrueAsync(() => Task.FromResult(Enumerable.Range(1, 3).All(line => SpoolHolds(agent, line))),
                TimeSpan.FromSeconds(10), () => $"the agent did not spool the findings:\n{agent.Output}");
            await agent.CrashAsync();
        }
        finally
        {
            Signals.Thaw(coordinator);
        }

        await agent.StartAsync();
        await AssertEachExactlyOnce(coordinator, agent.NodeName, 4);
    }

    [Fact]
    public async Task Agent_killed_right_after_a_spool_write_delivers_that_finding_exactly_once()
    {
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        await coordinator.StartAsync();
        await using var agent = new AgentUnderTest(coordinator, $"e2e-spool-kill-{_run}");
        await agent.StartAsync();
        KernelLog.Write(SoftLockup(0));
        await WaitForFindings(coordinator, agent.NodeName, 1);
        await coordinator.StopAsync();

        KernelLog.Write(SoftLockup(1));
        await Eventually.TrueAsync(() => Task.FromResult(SpoolHolds(agent, 1)), TimeSpan.FromSeconds(10), () => $"not spooled:\n{agent.Output}");
        await agent.CrashAsync(); // At once: the spool write is all that happened.
        KernelLog.Write(SoftLockup(2)); // While nobody reads.

        await coordinator.StartAsync();
        await agent.StartAsync();
        KernelLog.Write(SoftLockup(3));
        await AssertEachExactlyOnce(coordinator, agent.NodeName, 4);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Coordinator_killed_three_times_under_a_steady_flow_loses_no_finding_and_counts_none_twice(string provider)
    {
        await using var coordinator = new CoordinatorUnderTest(provider == "Sqlite" ? Database.Sqlite() : await postgres.CreateDatabaseAsync());
        await coordinator.StartAsync();
        await using var agent = new AgentUnderTest(coordinator, $"e2e-flow-{_run}");
        await agent.StartAsync();

        using var stop = new CancellationTokenSource();
        var written = 0;
        var flow = Task.Run(async () =>
        {
            // Bounded well below the 100 recent findings the node view keeps.
            while (!stop.IsCancellationRequested && written < 70)
            {
                KernelLog.Write(SoftLockup(written++));
                await Task.Delay(200);
            }
        });

        for (var kill = 1; kill <= 3; kill++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await coordinator.CrashAsync();
            await coordinator.StartAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await flow;
        await AssertEachExactlyOnce(coordinator, agent.NodeName, written);
    }

    private string SoftLockup(int line) => $"<4>watchdog: BUG: soft lockup - CPU#{line % 8} stuck for 22s! [e2e-{_run}:{line}]";

    private string Message(int line) => $"CPU#{line % 8} stuck for 22s [e2e-{_run}:{line}]";

    private bool SpoolHolds(AgentUnderTest agent, int line) =>
        File.Exists(agent.SpoolFile) && File.ReadAllText(agent.SpoolFile).Contains(Message(line));

    private async Task AssertEachExactlyOnce(CoordinatorUnderTest coordinator, string node, int lines)
    {
        await WaitForFindings(coordinator, node, lines);
        await Task.Delay(Settle); // A duplicate would arrive after the originals.
        var view = await coordinator.NodeAsync(node);
        var missingOrTwice = Enumerable.Range(0, lines).Where(line => view.CountFindings(Message(line)) != 1).ToList();
        Assert.True(missingOrTwice.Count == 0,
            $"lines not seen exactly once: {string.Join(", ", missingOrTwice.Select(l => $"{l}×{view.CountFindings(Message(l))}"))}\n{view}");
        Assert.Equal(lines, view.Findings().Count(f => f.Text("message")!.Contains($"e2e-{_run}:")));
    }

    private async Task<JsonObject?> WaitForFindings(CoordinatorUnderTest coordinator, string node, int count) =>
        await Eventually.ValueAsync(() => coordinator.NodeAsync(node),
            v => v.Findings().Count(f => f.Text("message")!.Contains($"e2e-{_run}:")) >= count,
            Arrival, v => $"expected {count} findings of this run: {v}\ncoordinator:\n{coordinator.Output}");
}

using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>A dead agent must not leave its node looking healthy: past its lease the node's conditions turn Unknown.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class AgentLeaseTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    private static DateTime Time(string? text) => DateTime.Parse(text!, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    [Fact]
    public async Task Killed_agent_turns_its_conditions_unknown_and_its_return_restores_them()
    {
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        coordinator.ExtraArguments.Add($"--Coordinator:AgentLease={Lease}");
        await coordinator.StartAsync();
        await using var agent = new AgentUnderTest(coordinator, $"e2e-lease-{Guid.NewGuid().ToString("N")[..8]}");
        agent.ExtraArguments.Add("--Agent:HeartbeatInterval=00:00:01");
        await agent.StartAsync();
        var healthy = (await agent.KernelReadyBecomesAsync("True", "KernelIsReady")).Condition("KernelReady").Text("lastTransitionTime");

        // An idle agent with nothing to report keeps its lease with heartbeats alone: had it expired and
        // been restored between two looks, the transition time would have moved.
        await Task.Delay(2 * Lease);
        var idle = await coordinator.NodeAsync(agent.NodeName);
        Assert.Equal(("True", healthy), (idle.Condition("KernelReady").Text("status"), idle.Condition("KernelReady").Text("lastTransitionTime")));
        Assert.Null(idle!["agentSilence"]);

        var crashedAt = DateTime.UtcNow;
        await agent.CrashAsync();
        var silent = await agent.KernelReadyBecomesAsync("Unknown", "AgentNotReporting");
        Assert.StartsWith("The node-health agent has not reported since ", silent.Condition("KernelReady").Text("message"));
        Assert.NotNull(silent!["agentSilence"]?["lastHeardAt"]);
        var silentSince = Time(silent.Condition("KernelReady").Text("lastTransitionTime"));
        Assert.InRange(silentSince, crashedAt + Lease - TimeSpan.FromSeconds(2), DateTime.UtcNow);

        await agent.StartAsync();
        var back = await agent.KernelReadyBecomesAsync("True", "KernelIsReady");
        Assert.Null(back!["agentSilence"]);
        Assert.True(Time(back.Condition("KernelReady").Text("lastTransitionTime")) > silentSince, "the return is a transition of its own");
    }
}

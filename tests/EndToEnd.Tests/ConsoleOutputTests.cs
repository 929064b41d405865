using System.Text.RegularExpressions;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>What an operator reads in `kubectl logs`: one prefix per line, Akka's lines included.</summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class ConsoleOutputTests
{
    [Fact]
    public async Task Coordinator_and_agent_lines_carry_one_level_prefix_each()
    {
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        await coordinator.StartAsync();
        await using var agent = new AgentUnderTest(coordinator, $"{KernelLog.NewTag()}-console");
        await agent.StartAsync();
        await agent.KernelReadyBecomesAsync("True", "KernelIsReady");
        await agent.StopAsync();
        await coordinator.StopAsync();

        var lines = coordinator.Output.Split('\n').Concat(agent.Output.Split('\n')).ToList();
        Assert.Contains(lines, l => l.Contains("Cluster Node [")); // Akka's own lines are there to be checked.
        Assert.Contains(lines, l => l.Contains("Log monitor reading"));
        var doubled = lines.Where(l => SecondPrefix().IsMatch(l)).ToList();
        Assert.True(doubled.Count == 0, "Lines with Akka's prefix inside the logger's:\n" + string.Join('\n', doubled.Take(5)));
    }

    /// <summary>A Microsoft.Extensions.Logging console line ("info: Category[0] ...") that carries Akka's "[INFO][time]" too.</summary>
    [GeneratedRegex(@"\b(trce|dbug|info|warn|fail|crit): .*\[(DEBUG|INFO|WARNING|ERROR)\]\[")]
    private static partial Regex SecondPrefix();
}

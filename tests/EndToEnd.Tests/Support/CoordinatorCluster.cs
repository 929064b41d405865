using System.Text.RegularExpressions;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>
/// Several coordinator processes on loopback sharing one PostgreSQL database, every one listing all of
/// them as static seed nodes (as StatefulSet pods do); started in parallel, as Kubernetes starts pods.
/// </summary>
public sealed partial class CoordinatorCluster : IAsyncDisposable
{
    private CoordinatorCluster(IReadOnlyList<CoordinatorUnderTest> members) => Members = members;

    public IReadOnlyList<CoordinatorUnderTest> Members { get; }

    public CoordinatorUnderTest this[int index] => Members[index];

    public static async Task<CoordinatorCluster> StartAsync(Database database, int size, Action<CoordinatorUnderTest>? configure = null)
    {
        var cluster = new CoordinatorCluster([.. Enumerable.Range(0, size).Select(_ => new CoordinatorUnderTest(database))]);
        foreach (var member in cluster.Members)
        {
            member.JoinVia(cluster.Members);
            configure?.Invoke(member);
        }

        try
        {
            await Task.WhenAll(cluster.Members.Select(m => m.StartAsync()));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>The member an agent's last "Connected to the coordinator at …" names; null before it connected.</summary>
    public CoordinatorUnderTest? ConnectedTo(AgentUnderTest agent) =>
        Connected().Matches(agent.Output).LastOrDefault() is { } last
            ? Members.FirstOrDefault(m => m.GrpcAddress.ToString().TrimEnd('/') == last.Groups["url"].Value)
            : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
            await member.DisposeAsync();
    }

    [GeneratedRegex(@"Connected to the coordinator at (?<url>\S+) as node")]
    private static partial Regex Connected();
}

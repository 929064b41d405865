using System.Diagnostics;
using System.Net;
using Grpc.Core;
using NodeHealth.EndToEnd.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// PostgreSQL restarted under a steady flow of findings, then unreachable (packets dropped, not refused):
/// ingest says Unavailable instead of acknowledging what it could not persist, agents keep their findings
/// spooled, and the same coordinator processes recover on their own; every finding is recorded exactly once.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClusterDatabaseOutageTests(PostgresServer postgres, ITestOutputHelper output)
{
    /// <summary>
    /// A minute, as the issue asks: several times every timer on the write path (the 10 s persist timeout ingest
    /// answers Unavailable after, the journal's 10 s call timeout that opens its circuit breaker, Npgsql's 15 s
    /// connect timeout), so entities stop and restart on failed writes, breakers open and half-open more than once.
    /// </summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(300);
    private readonly string _tag = KernelLog.NewTag();

    [Fact]
    public async Task PostgreSql_restarted_under_load_then_unreachable_answers_Unavailable_keeps_findings_spooled_and_loses_or_doubles_none()
    {
        Assert.True(postgres.IsPrivate, "restarting PostgreSQL needs the tests' private server (unset NODE_HEALTH_TEST_POSTGRES)");
        var database = await postgres.CreateDatabaseAsync();
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(new IPEndPoint(IPAddress.Parse(direct.Host!), direct.Port));
        var proxied = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = proxy.Port };
        await using var cluster = await CoordinatorCluster.StartAsync(database with { ConnectionString = proxied.ConnectionString }, 3);
        var pids = cluster.Members.Select(m => m.ProcessId).ToList();

        var agents = Enumerable.Range(0, 2).Select(i => new AgentUnderTest(cluster[i], $"{_tag}-agent-{i}")).ToList();
        await using var stopAgents = new AsyncDisposables(agents);
        foreach (var agent in agents)
            agent.FailOverTo(cluster.Members);
        await Task.WhenAll(agents.Select(a => a.StartAsync()));

        var flow = new FindingFlow(_tag);
        await flow.RunAsync(5, Pace);
        await postgres.RestartAsync(); // Every open connection ends; the flow goes on.
        await flow.RunAsync(12, Pace);
        foreach (var agent in agents)
            await flow.AssertEachExactlyOnceAsync(cluster[2], agent.NodeName, TimeSpan.FromSeconds(45));

        proxy.Cut();
        var cut = Stopwatch.StartNew();
        var refused = RefusedAsync(cluster[1], $"{_tag}-newcomer");
        var duringCut = flow.Written;
        await flow.RunUntilAsync(Task.Delay(Outage - cut.Elapsed), TimeSpan.FromSeconds(1)); // ~60 lines: the view keeps 100.
        var status = await refused;
        await Eventually.TrueAsync(() => Task.FromResult(agents.All(a => Enumerable.Range(duringCut, flow.Written - duringCut).All(l => flow.Spooled(a, l)))),
            TimeSpan.FromSeconds(5), () => "findings written while PostgreSQL was unreachable are not all in the agents' spools");
        proxy.Heal();
        var healed = Stopwatch.StartNew();
        output.WriteLine($"PostgreSQL unreachable for {cut.Elapsed.TotalSeconds:0.0} s; a new node's report was answered {status}");
        Assert.Equal(StatusCode.Unavailable, status);

        await flow.RunAsync(flow.Written + 6, Pace);
        foreach (var agent in agents)
            await flow.AssertEachExactlyOnceAsync(cluster[0], agent.NodeName, TimeSpan.FromSeconds(90));
        output.WriteLine($"every finding recorded exactly once {healed.Elapsed.TotalSeconds:0.0} s after PostgreSQL was reachable again");
        Assert.Equal(pids, cluster.Members.Select(m => m.ProcessId)); // Recovered without a restart.
        foreach (var member in cluster.Members)
            Assert.True((await member.Http.GetAsync("/readyz")).IsSuccessStatusCode, $"not ready again:\n{FindingFlow.Tail(member.Output)}");
    }

    /// <summary>What ingest answers a report it cannot persist: the gRPC status the stream ended with.</summary>
    private static async Task<StatusCode> RefusedAsync(CoordinatorUnderTest coordinator, string node)
    {
        using var client = new IngestClient(coordinator.GrpcAddress);
        try
        {
            await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(node), IngestClient.Batch(IngestClient.Finding(node, 1)));
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}

using System.Diagnostics;
using Grpc.Core;
using NodeHealth.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// Three coordinator processes on loopback share PostgreSQL. Any member serves any node; when one is killed
/// its nodes are served again by the others (the split brain resolver downs it, its shards move), and when one
/// leaves gracefully it hands its shards off; real agents fail over between members and lose nothing.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClusterFailoverTests(PostgresServer postgres, ITestOutputHelper output)
{
    /// <summary>Simulated nodes, enough that every member hosts some of their entities.</summary>
    private const int Nodes = 24;

    private static readonly TimeSpan FailoverBudget = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(250);
    private readonly string _tag = KernelLog.NewTag();

    [Fact]
    public async Task Killed_member_s_nodes_are_served_again_within_30_s_with_no_acknowledged_finding_lost_and_a_leaving_member_hands_its_shards_off()
    {
        await using var cluster = await CoordinatorCluster.StartAsync(await postgres.CreateDatabaseAsync(), 3);
        foreach (var joiner in cluster.Members.Skip(1))
            Assert.Contains("Welcome from [akka.tcp://node-health@127.0.0.1:", joiner.Output); // Joined: one cluster, not three.

        var agents = Enumerable.Range(0, 3).Select(i => new AgentUnderTest(cluster[0], $"{_tag}-agent-{i}")).ToList();
        await using var stopAgents = new AsyncDisposables(agents);
        foreach (var agent in agents)
            agent.FailOverTo(cluster.Members);
        await Task.WhenAll(agents.Select(a => a.StartAsync()));

        // Reported to each member in turn, read from another: an entity is reached wherever it lives.
        var nodes = Enumerable.Range(0, Nodes).Select(i => $"{_tag}-sim-{i}").ToList();
        await Task.WhenAll(nodes.Select((node, i) => ServeAsync(cluster[i % 3], node, 1, TimeSpan.FromSeconds(30))));
        foreach (var (node, i) in nodes.Select((n, i) => (n, i)))
            Assert.Equal("finding 1", Assert.Single((await cluster[(i + 1) % 3].NodeAsync(node)).Findings()).Text("message"));

        var flow = new FindingFlow(_tag);
        var victim = await Eventually.ValueAsync(() => Task.FromResult(cluster.ConnectedTo(agents[0])), c => c is not null,
            TimeSpan.FromSeconds(20), _ => $"agent 0 never connected:\n{agents[0].Output}");
        var survivors = cluster.Members.Where(m => m != victim).ToList();
        var victimsAgents = agents.Where(a => cluster.ConnectedTo(a) == victim).ToList();
        for (var line = 0; line < 8; line++)
        {
            flow.Write();
            await Task.Delay(Pace);
        }

        await victim!.CrashAsync();
        var killed = Stopwatch.StartNew();
        var servedAgain = Task.WhenAll(nodes.Select((node, i) => ServeAsync(survivors[i % 2], node, 2, TimeSpan.FromSeconds(60))));
        await flow.RunUntilAsync(servedAgain, Pace);
        await servedAgain;
        var failover = killed.Elapsed;
        output.WriteLine($"SIGKILL of one of three coordinators: all {Nodes} nodes acknowledged a new finding again after {failover.TotalSeconds:0.0} s");

        foreach (var agent in agents)
            await flow.AssertEachExactlyOnceAsync(survivors[1], agent.NodeName, TimeSpan.FromSeconds(30));
        foreach (var agent in victimsAgents)
            Assert.Contains($"Failed over from coordinator {victim.GrpcAddress.ToString().TrimEnd('/')}", agent.Output);
        Assert.True(failover < FailoverBudget, $"failover took {failover.TotalSeconds:0.0} s, budget {FailoverBudget.TotalSeconds:0} s; how the cluster saw it:\n" +
            string.Join('\n', survivors[1].Output.Split('\n').Where(l => l.Contains("SBR") || l.Contains("Singleton") || l.Contains("ShardCoordinator") || l.Contains("removing"))));

        // A graceful leave: SIGTERM, the member hands its shards to the last one and exits in time (StopAsync fails otherwise).
        var leaver = survivors[0];
        var last = survivors[1];
        var left = Stopwatch.StartNew();
        var exit = await leaver.StopAsync();
        await Task.WhenAll(nodes.Select(node => ServeAsync(last, node, 3, TimeSpan.FromSeconds(30))));
        output.WriteLine($"Graceful leave: the member exited {exit.ExitCode} after {exit.Took.TotalSeconds:0.0} s; all {Nodes} nodes acknowledged a new finding on the last member {left.Elapsed.TotalSeconds:0.0} s after SIGTERM");
        for (var line = 0; line < 6; line++)
            flow.Write();
        foreach (var agent in agents)
            await flow.AssertEachExactlyOnceAsync(last, agent.NodeName, TimeSpan.FromSeconds(30));
        foreach (var node in nodes)
            Assert.Equal(["finding 1", "finding 2", "finding 3"],
                (await last.NodeAsync(node)).Findings().Select(f => f.Text("message")).Order());
    }

    /// <summary>Reports finding <paramref name="sequence"/> of <paramref name="node"/> until the coordinator acknowledges it (persisted).</summary>
    private static async Task ServeAsync(CoordinatorUnderTest coordinator, string node, long sequence, TimeSpan timeout)
    {
        // Short attempts: a report sent to the dead member's shard before its shards moved is never answered; the next try is.
        using var client = new IngestClient(coordinator.GrpcAddress) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var replies = await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(node), IngestClient.Batch(IngestClient.Finding(node, sequence)));
                if (replies.Any(r => r.Ack?.UpToSequence == sequence))
                    return;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Internal)
            {
                if (deadline.Elapsed > timeout)
                    throw new TimeoutException($"node {node} not served by {coordinator.GrpcAddress} within {timeout.TotalSeconds:0} s: {e.Status}\n{FindingFlow.Tail(coordinator.Output)}");
                await Task.Delay(200);
            }
        }
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NodeHealth.Contracts;
using NodeHealth.EndToEnd.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// The coordinator running the repair governor is killed (SIGKILL) in the middle of a drain: the governor moves to a
/// survivor, which resumes the same repair after its last recorded step (no second grant, no second cordon) and keeps
/// the drain's original deadline.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RepairFailoverTests(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private KubernetesStand _stand = null!;

    public async Task InitializeAsync() => _stand = await KubernetesStand.StartAsync("nh-repair-failover");

    public async Task DisposeAsync() => await _stand.DisposeAsync();

    [Fact]
    public async Task A_repair_whose_governor_is_killed_mid_drain_is_resumed_once_by_a_survivor_with_its_drain_deadline()
    {
        var node = $"e2e-repair-kill-{_run}";
        _stand.Server.Nodes.Put(NodeObjects.Kubelet(node, labels: new Dictionary<string, string> { ["eks.amazonaws.com/nodegroup"] = "workers" }));
        var web = new Dictionary<string, string> { ["app"] = "web" };
        _stand.Server.Pods.Put(PodObjects.Running("web-0", node, labels: web));
        _stand.Server.Budgets.Put(DisruptionBudgets.Budget("web", web, minAvailable: 1));
        var policy = _stand.File("repair.yaml", "overrides:\n  - condition: KernelReady\n    reason: ForkFailedOutOfPIDs\n    wait: 0s\n");
        await using var cluster = await CoordinatorCluster.StartAsync(await postgres.CreateDatabaseAsync(), 3, c => c.ExtraArguments.AddRange(
            [.. _stand.CoordinatorArguments, "--Repair:Mode=On", "--Repair:DecideEvery=1s", $"--Repair:PolicyFile={policy}",
             $"--Repair:DrainTimeout={DrainTimeout.TotalSeconds:0}s", "--Repair:DeleteGracePeriod=0s", "--Repair:VerifyTimeout=60s"]));

        using (var client = new IngestClient(cluster[0].GrpcAddress))
            await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(node),
                IngestClient.Batch(IngestClient.Finding(node, 1, severity: Severity.Fatal, reason: "ForkFailedOutOfPIDs")));
        // Cordoned and draining: the budget refuses web-0's eviction until the drain timeout.
        await Eventually.TrueAsync(() => Task.FromResult(_stand.Server.RequestsTo("POST", TestApiServer.EvictionPath("default", "web-0")).Any(r => r.Status == 429)),
            TimeSpan.FromSeconds(30), () => $"no eviction was tried:\n{string.Join('\n', _stand.Server.Requests.TakeLast(20))}");
        var governor = cluster.Members.Single(m => m.Output.Contains($"started: Replace of {node}"));
        var cordon = Assert.Single(_stand.Server.RequestsTo("PATCH", $"/api/v1/nodes/{node}"));

        await governor.CrashAsync();
        var survivor = cluster.Members.First(m => m != governor);

        var repair = await Eventually.ValueAsync(
            async () => (await survivor.Http.GetFromJsonAsync<JsonObject>($"/api/repairs?node={node}"))?["repairs"]?.AsArray(),
            repairs => repairs?.Count == 1 && (string?)repairs[0]!["state"] is "Succeeded" or "Failed", TimeSpan.FromSeconds(90),
            repairs => $"the repair did not end after the failover: {repairs?.ToJsonString()}\n{string.Join('\n', _stand.Server.Requests.TakeLast(20))}");
        Assert.Equal("Succeeded", (string?)repair![0]!["state"]);
        Assert.Equal(["Cordon", "Drain", "Replace", "Verify", "ClearFaults"], repair[0]!["steps"]!.AsArray().Select(s => (string?)s!["step"]));
        Assert.Single(_stand.Server.RequestsTo("PATCH", $"/api/v1/nodes/{node}")); // Cordoned once: the resumed run started at the drain.
        var deletion = Assert.Single(_stand.Server.RequestsTo("DELETE", TestApiServer.PodPath("default", "web-0")));
        Assert.True(deletion.At >= cordon.At + DrainTimeout, $"web-0 was deleted at {deletion.At:O}, before the drain timeout after the cordon at {cordon.At:O}");
        Assert.Single(_stand.Server.RequestsTo("DELETE", $"/api/v1/nodes/{node}"));
        Assert.Contains(cluster.Members.Where(m => m != governor), m => m.Output.Contains("Resuming 1 repair(s) in flight", StringComparison.Ordinal));
    }
}

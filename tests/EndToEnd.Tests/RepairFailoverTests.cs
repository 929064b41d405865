using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NodeHealth.Contracts;
using NodeHealth.EndToEnd.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// The coordinator running the repair governor is killed (SIGKILL) in the middle of two drains, with two more repairs
/// of the same pool held by its parallel limit of 2: the governor moves to a survivor, which resumes the two running
/// repairs after their last recorded step (no second grant, no second cordon) with their drains' original deadline,
/// then grants the two held ones — never more than two at once across the kill, none run twice, none forgotten.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RepairFailoverTests(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);
    private const int PoolLimit = 2;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private KubernetesStand _stand = null!;

    public async Task InitializeAsync() => _stand = await KubernetesStand.StartAsync("nh-repair-failover");

    public async Task DisposeAsync() => await _stand.DisposeAsync();

    [Fact]
    public async Task Repairs_whose_governor_is_killed_mid_drain_resume_once_and_the_pool_limit_holds_across_the_kill()
    {
        string[] draining = [Name("drain-1"), Name("drain-2")];
        string[] held = [Name("held-1"), Name("held-2")];
        foreach (var node in draining.Concat(held))
            _stand.Server.Nodes.Put(NodeObjects.Kubelet(node, labels: new Dictionary<string, string> { ["eks.amazonaws.com/nodegroup"] = "workers" }));
        foreach (var node in draining) // One pod each that a budget keeps until the drain timeout.
        {
            var app = new Dictionary<string, string> { ["app"] = node };
            _stand.Server.Pods.Put(PodObjects.Running($"{node}-pod", node, labels: app));
            _stand.Server.Budgets.Put(DisruptionBudgets.Budget(node, app, minAvailable: 1));
        }
        var policy = _stand.File("repair.yaml",
            $"overrides:\n  - condition: KernelReady\n    reason: ForkFailedOutOfPIDs\n    wait: 0s\nbudgets:\n  maxParallelCount: {PoolLimit}\n");
        await using var cluster = await CoordinatorCluster.StartAsync(await postgres.CreateDatabaseAsync(), 3, c => c.ExtraArguments.AddRange(
            [.. _stand.CoordinatorArguments, "--Repair:Mode=On", "--Repair:DecideEvery=1s", $"--Repair:PolicyFile={policy}",
             $"--Repair:DrainTimeout={DrainTimeout.TotalSeconds:0}s", "--Repair:DeleteGracePeriod=0s", "--Repair:VerifyTimeout=60s"]));

        await ReportFatalAsync(cluster, draining);
        // Cordoned and draining: the budgets refuse the pods' evictions until the drain timeout.
        await Eventually.TrueAsync(() => Task.FromResult(draining.All(node =>
                _stand.Server.RequestsTo("POST", TestApiServer.EvictionPath("default", $"{node}-pod")).Any(r => r.Status == 429))),
            TimeSpan.FromSeconds(30), () => $"the two drains never tried an eviction:\n{string.Join('\n', _stand.Server.Requests.TakeLast(20))}");
        await ReportFatalAsync(cluster, held);
        var governor = cluster.Members.Single(m => m.Output.Contains($"started: Replace of {draining[0]}"));
        await Eventually.TrueAsync(async () =>
            {
                var list = await governor.Http.GetFromJsonAsync<JsonObject>("/api/repairs");
                return held.All(node => HeldByThePool(list, node));
            },
            TimeSpan.FromSeconds(30), () => $"the pool limit did not hold {string.Join(", ", held)}:\n{governor.Output}");
        var cordons = draining.ToDictionary(node => node, node => Assert.Single(_stand.Server.RequestsTo("PATCH", $"/api/v1/nodes/{node}")).At);

        await governor.CrashAsync();
        var survivor = cluster.Members.First(m => m != governor);

        var repairs = await Eventually.ValueAsync(
            async () => (await survivor.Http.GetFromJsonAsync<JsonObject>("/api/repairs"))?["repairs"]?.AsArray()
                .Where(r => ((string?)r!["node"])!.EndsWith(_run, StringComparison.Ordinal)).ToList(),
            runs => runs?.Count == 4 && runs.All(r => (string?)r!["state"] is "Succeeded" or "Failed"), TimeSpan.FromSeconds(120),
            runs => $"the repairs did not all end after the failover: {new JsonArray([.. runs?.Select(r => r!.DeepClone()) ?? []]).ToJsonString()}\n" +
                    string.Join('\n', _stand.Server.Requests.TakeLast(20)));
        Assert.All(repairs!, run => Assert.Equal("Succeeded", (string?)run!["state"]));
        Assert.Equal(draining.Concat(held).Order(StringComparer.Ordinal), repairs!.Select(r => (string)r!["node"]!).Order(StringComparer.Ordinal)); // One repair per node.
        Assert.All(repairs!, run => Assert.Equal(["Cordon", "Drain", "Replace", "Verify", "ClearFaults"], run!["steps"]!.AsArray().Select(s => (string?)s!["step"])));
        foreach (var node in draining.Concat(held))
        {
            Assert.Single(_stand.Server.RequestsTo("PATCH", $"/api/v1/nodes/{node}")); // Cordoned once: the resumed runs started at their drain.
            Assert.Single(_stand.Server.RequestsTo("DELETE", $"/api/v1/nodes/{node}"));
        }
        foreach (var node in draining)
        {
            var deletion = Assert.Single(_stand.Server.RequestsTo("DELETE", TestApiServer.PodPath("default", $"{node}-pod")));
            Assert.True(deletion.At >= cordons[node] + DrainTimeout, $"{node}-pod was deleted at {deletion.At:O}, before the drain timeout after the cordon at {cordons[node]:O}");
        }
        var mostAtOnce = MostAtOnce(repairs!.Select(r => ((DateTime)r!["startedAt"]!, (DateTime)r["endedAt"]!)));
        Assert.True(mostAtOnce <= PoolLimit, $"{mostAtOnce} repairs of the pool ran at once (limit {PoolLimit}): {new JsonArray([.. repairs!.Select(r => r!.DeepClone())]).ToJsonString()}");
        Assert.Contains(cluster.Members.Where(m => m != governor), m => m.Output.Contains($"Resuming {draining.Length} repair(s) in flight", StringComparison.Ordinal));
    }

    private string Name(string role) => $"e2e-repair-kill-{role}-{_run}";

    private static async Task ReportFatalAsync(CoordinatorCluster cluster, IEnumerable<string> nodes)
    {
        foreach (var node in nodes)
        {
            using var client = new IngestClient(cluster[0].GrpcAddress);
            await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(node),
                IngestClient.Batch(IngestClient.Finding(node, 1, severity: Severity.Fatal, reason: "ForkFailedOutOfPIDs")));
        }
    }

    private static bool HeldByThePool(JsonObject? list, string node) =>
        list?["decisions"]?.AsArray().Any(d => (string?)d!["node"] == node && (string?)d["denial"] == "PoolParallel") == true;

    /// <summary>The largest number of the (start, end) intervals that overlap at one moment.</summary>
    private static int MostAtOnce(IEnumerable<(DateTime Start, DateTime End)> runs) =>
        runs.SelectMany(r => new[] { (At: r.Start, Change: 1), (At: r.End, Change: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Change) // An end and a start at the same instant do not overlap.
            .Aggregate((Now: 0, Most: 0), (acc, e) => (acc.Now + e.Change, Math.Max(acc.Most, acc.Now + e.Change))).Most;
}

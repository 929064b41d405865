using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NodeHealth.Contracts;
using NodeHealth.EndToEnd.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// What holds repair back, through the whole path: one coordinator in Repair:Mode On against the Kubernetes test
/// server, six unhealthy nodes. While the maintenance window is closed nothing is touched; once the edited policy
/// opens it, a pool's parallel limit lets two of its three nodes start and holds the third, a zone where every node
/// turned unhealthy at once has its storm breaker tripped (an Event on each of its nodes), and a node carrying the opt-out label is never touched.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RepairGuardsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private KubernetesStand _stand = null!;

    public async Task InitializeAsync() => _stand = await KubernetesStand.StartAsync("nh-repair-guards");

    public async Task DisposeAsync() => await _stand.DisposeAsync();

    [Fact]
    public async Task A_closed_window_defers_everything_then_the_parallel_limit_the_storm_breaker_and_the_opt_out_each_hold_their_nodes()
    {
        string[] pool = [Name("budget-1"), Name("budget-2"), Name("budget-3")];
        string[] storm = [Name("storm-1"), Name("storm-2")];
        var optedOut = Name("optout");
        for (var i = 0; i < pool.Length; i++)
            SeedHeldNode(pool[i], "budget", $"zone-b{i}"); // A zone each: too small for the storm breaker.
        foreach (var node in storm)
            Seed(node, "storm", "zone-s");
        Seed(optedOut, "other", "zone-o", ("node-health.io/repair-opt-out", "true"));
        var opens = DateTime.UtcNow.AddHours(2);
        var policy = _stand.File("repair.yaml", Policy + $"maintenanceWindows:\n  - {{ days: [Daily], start: '{Clock(opens)}', end: '{Clock(opens.AddHours(1))}', timeZone: UTC }}\n");
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        coordinator.ExtraArguments.AddRange([.. _stand.CoordinatorArguments,
            "--Repair:Mode=On", "--Repair:DecideEvery=1s", $"--Repair:PolicyFile={policy}", "--Repair:DrainTimeout=60s"]);
        await coordinator.StartAsync();

        using (var client = new IngestClient(coordinator.GrpcAddress))
            foreach (var node in pool.Concat(storm).Append(optedOut))
                await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(node),
                    IngestClient.Batch(IngestClient.Finding(node, 1, severity: Severity.Fatal, reason: "ForkFailedOutOfPIDs")));

        var deferred = await Denials(coordinator, d => d.Count == 6, "six decisions");
        Assert.Equal([.. pool.Concat(storm).Select(n => (n, "MaintenanceWindow")), (optedOut, "OptOut")], deferred.OrderBy(d => d.Node == optedOut).ThenBy(d => d.Node, StringComparer.Ordinal));
        await Task.Delay(TimeSpan.FromSeconds(2)); // Two more rounds: room for a repair that must not come.
        Assert.Empty(Touching(pool.Concat(storm).Append(optedOut)));

        File.WriteAllText(policy, Policy); // No window: any time.

        var held = await Denials(coordinator, d => d.Count(x => x.Denial == "PoolParallel") == 1 && d.Count(x => x.Denial == "InFlight") == 2,
            "two of the pool's repairs running and the third held by the parallel limit");
        Assert.Equal([(storm[0], "ZoneStorm"), (storm[1], "ZoneStorm")], held.Where(d => storm.Contains(d.Node)));
        Assert.Equal((optedOut, "OptOut"), held.Single(d => d.Node == optedOut));
        var running = held.Where(d => d.Denial == "InFlight").Select(d => d.Node).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(running.All(node => _stand.Server.RequestsTo("PATCH", $"/api/v1/nodes/{node}").Count > 0)),
            Patience, () => $"the running repairs of {string.Join(", ", running)} never cordoned their nodes"); // The step runs after the grant is recorded.
        Assert.All(running, node => Assert.Single(_stand.Server.RequestsTo("PATCH", $"/api/v1/nodes/{node}"))); // Cordoned once, draining.
        Assert.Empty(Touching(pool.Except(running).Concat(storm).Append(optedOut)));

        var budgets = await coordinator.Http.GetFromJsonAsync<JsonObject>("/api/repairs/budgets");
        var zone = budgets!["zones"]!.AsArray().Single(z => (string?)z!["zone"] == "zone-s")!;
        Assert.Equal("Tripped", (string?)zone["state"]);
        await Eventually.TrueAsync(() => Task.FromResult(storm.All(node => ZoneEvents(node).Any(note => note.StartsWith("new repairs in zone zone-s are paused", StringComparison.Ordinal)))),
            Patience, () => $"no RepairZonePaused Event on each node of zone-s: {string.Join(" | ", storm.SelectMany(ZoneEvents))}");
        Assert.Empty(pool.Append(optedOut).SelectMany(ZoneEvents)); // Only the tripped zone's nodes.
    }

    /// <summary>The notes of the RepairZonePaused Events regarding this node.</summary>
    private IEnumerable<string> ZoneEvents(string node) =>
        _stand.Server.Events.All().Where(e => e["regarding"]?["name"]?.ToString() == node && e["reason"]?.ToString() == "RepairZonePaused").Select(e => e["note"]!.ToString());

    private const string Policy = """
        overrides:
          - condition: KernelReady
            reason: ForkFailedOutOfPIDs
            wait: 0s
        budgets:
          maxParallelCount: 2
        zoneStormBreaker:
          thresholdPercent: 50
          minZoneNodes: 2

        """;

    private static string Clock(DateTime at) => at.ToString("HH:mm", CultureInfo.InvariantCulture);

    private string Name(string role) => $"e2e-guard-{role}-{_run}";

    private void Seed(string node, string pool, string zone, params (string Key, string Value)[] extra)
    {
        var labels = new Dictionary<string, string> { ["eks.amazonaws.com/nodegroup"] = pool, ["topology.kubernetes.io/zone"] = zone };
        foreach (var (key, value) in extra)
            labels[key] = value;
        _stand.Server.Nodes.Put(NodeObjects.Kubelet(node, labels: labels));
    }

    /// <summary>A node whose one pod a budget keeps: its drain waits for the 60 s drain timeout, so its repair stays running.</summary>
    private void SeedHeldNode(string node, string pool, string zone)
    {
        Seed(node, pool, zone);
        var app = new Dictionary<string, string> { ["app"] = node };
        _stand.Server.Pods.Put(PodObjects.Running($"{node}-pod", node, labels: app));
        _stand.Server.Budgets.Put(DisruptionBudgets.Budget(node, app, minAvailable: 1));
    }

    /// <summary>Every request that changed one of these nodes or their pods, beyond the conditions (status) and Events node-health writes anyway.</summary>
    private List<RecordedRequest> Touching(IEnumerable<string> nodes)
    {
        var names = nodes.ToHashSet(StringComparer.Ordinal);
        return [.. _stand.Server.Mutations.Where(m => !m.Path.EndsWith("/status", StringComparison.Ordinal) && !m.Path.Contains("/events", StringComparison.Ordinal)
                                               && names.Any(n => m.Path.Contains(n, StringComparison.Ordinal)))];
    }

    /// <summary>Each node's latest decision as (node, denial) — InFlight for a running repair — once <paramref name="accept"/> holds.</summary>
    private async Task<List<(string Node, string Denial)>> Denials(CoordinatorUnderTest coordinator, Func<List<(string Node, string Denial)>, bool> accept, string what) =>
        await Eventually.ValueAsync(async () =>
            {
                var list = await coordinator.Http.GetFromJsonAsync<JsonObject>("/api/repairs");
                return list!["decisions"]!.AsArray()
                    .Where(d => ((string?)d!["node"])!.StartsWith("e2e-guard-", StringComparison.Ordinal) && ((string?)d["node"])!.EndsWith(_run, StringComparison.Ordinal))
                    .Select(d => ((string)d!["node"]!, (string?)d["state"] == "InFlight" ? "InFlight" : (string?)d["denial"] ?? (string)d["state"]!))
                    .OrderBy(d => d.Item1, StringComparer.Ordinal).ToList();
            },
            accept, Patience, d => $"never {what}: {string.Join(", ", d ?? [])}\n{string.Join('\n', _stand.Server.Requests.TakeLast(30))}\n{coordinator.Output}");
}

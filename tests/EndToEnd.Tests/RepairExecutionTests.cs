using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NodeHealth.Contracts;
using NodeHealth.EndToEnd.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// Repair through the whole path: a real coordinator in Repair:Mode On against the Kubernetes test server (pods,
/// PodDisruptionBudgets and the eviction subresource with their real semantics). A Fatal finding past its wait is
/// repaired by cordon, drain (a budget holding a pod past the drain timeout), replace (the Node deleted) and verify;
/// each decision and step is an Event on the Node; in DryRun the same finding reaches the server as conditions and
/// Events only.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RepairExecutionTests : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private KubernetesStand _stand = null!;

    public async Task InitializeAsync() => _stand = await KubernetesStand.StartAsync("nh-repair-on");

    public async Task DisposeAsync() => await _stand.DisposeAsync();

    [Fact]
    public async Task A_fault_past_its_wait_is_repaired_cordon_drain_past_a_blocking_budget_replace_and_verify()
    {
        var node = $"e2e-repair-{_run}";
        Seed(node);
        await using var coordinator = await Coordinator("On");

        await Report(coordinator, node);

        var repair = await Eventually.ValueAsync(() => Repair(coordinator, node), r => (string?)r?["state"] is "Succeeded" or "Failed",
            TimeSpan.FromSeconds(60), r => $"the repair of {node} did not end: {r}\n{string.Join('\n', _stand.Server.Requests.TakeLast(40))}\n{coordinator.Output}");
        Assert.Equal("Succeeded", (string?)repair!["state"]);
        Assert.Equal(["Cordon", "Drain", "Replace", "Verify", "ClearFaults"], repair["steps"]!.AsArray().Select(s => (string?)s!["step"]));
        Assert.Contains("blocked by PodDisruptionBudget default/web", (string?)repair["steps"]![1]!["detail"]);

        var cordon = Assert.Single(_stand.Server.RequestsTo("PATCH", $"/api/v1/nodes/{node}"));
        Assert.Contains("\"unschedulable\":true", cordon.Body);
        var evictions = _stand.Server.RequestsTo("POST", TestApiServer.EvictionPath("default", "web-0"));
        Assert.Contains(evictions, e => e.Status == 429); // The budget held it...
        var deletion = Assert.Single(_stand.Server.RequestsTo("DELETE", TestApiServer.PodPath("default", "web-0")));
        Assert.True(deletion.At >= cordon.At.AddSeconds(2), $"web-0 was deleted at {deletion.At:O}, before the 2s drain timeout after the cordon at {cordon.At:O}"); // ...until the timeout.
        Assert.Empty(_stand.Server.RequestsTo("POST", TestApiServer.EvictionPath("kube-system", "agent-x")));
        Assert.Single(_stand.Server.RequestsTo("DELETE", $"/api/v1/nodes/{node}"));
        Assert.Null(_stand.Server.Nodes.Get(node));

        var shown = await Eventually.ValueAsync(
            () => Task.FromResult(_stand.Server.Events.All().Where(e => e["regarding"]?["name"]?.ToString() == node && e["action"]?.ToString() == "Repair")
                .Select(e => e["reason"]!.ToString()).ToList()),
            reasons => reasons.Contains("RepairSucceeded"), TimeSpan.FromSeconds(10), reasons => $"the Node's repair events: {string.Join(", ", reasons ?? [])}");
        Assert.Equal(["RepairDecided", "RepairStarted", "RepairCordon", "RepairDrain", "RepairReplace", "RepairVerify", "RepairClearFaults", "RepairSucceeded"], shown);
    }

    [Fact]
    public async Task Dry_run_decides_the_same_start_and_sends_the_server_nothing_but_conditions_and_events()
    {
        var node = $"e2e-repair-{_run}";
        Seed(node);
        await using var coordinator = await Coordinator("DryRun");

        await Report(coordinator, node);

        var decision = await Eventually.ValueAsync(
            async () => (await coordinator.Http.GetFromJsonAsync<JsonObject>($"/api/repairs?node={node}"))?["decisions"]?.AsArray().FirstOrDefault(),
            d => (string?)d?["state"] == "Start", TimeSpan.FromSeconds(30), d => $"no dry-run start for {node}: {d}");
        Assert.True((bool)decision!["dryRun"]!);
        await Task.Delay(TimeSpan.FromSeconds(3)); // Rounds every second: room for a repair that must not come.
        Assert.All(_stand.Server.Mutations, m => Assert.True(m.Path == $"/api/v1/nodes/{node}/status" || m.Path.Contains("/events", StringComparison.Ordinal),
            $"dry run sent {m}"));
        Assert.Empty((await coordinator.Http.GetFromJsonAsync<JsonObject>("/api/repairs"))!["repairs"]!.AsArray());
    }

    /// <summary>A node with a DaemonSet pod and a pod whose budget allows no disruption.</summary>
    private void Seed(string node)
    {
        _stand.Server.Nodes.Put(NodeObjects.Kubelet(node, labels: new Dictionary<string, string> { ["eks.amazonaws.com/nodegroup"] = "workers", ["topology.kubernetes.io/zone"] = "eu-west-1a" }));
        var web = new Dictionary<string, string> { ["app"] = "web" };
        _stand.Server.Pods.Put(PodObjects.Running("web-0", node, labels: web));
        _stand.Server.Pods.Put(PodObjects.DaemonSetPod("agent-x", node));
        _stand.Server.Budgets.Put(DisruptionBudgets.Budget("web", web, minAvailable: 1));
    }

    private async Task<CoordinatorUnderTest> Coordinator(string mode)
    {
        var policy = _stand.File("repair.yaml", "overrides:\n  - condition: KernelReady\n    reason: ForkFailedOutOfPIDs\n    wait: 0s\n");
        var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        coordinator.ExtraArguments.AddRange([.. _stand.CoordinatorArguments,
            $"--Repair:Mode={mode}", "--Repair:DecideEvery=1s", $"--Repair:PolicyFile={policy}", "--Repair:DrainTimeout=2s", "--Repair:DeleteGracePeriod=0s",
            "--Repair:VerifyTimeout=30s"]);
        await coordinator.StartAsync();
        return coordinator;
    }

    private static async Task Report(CoordinatorUnderTest coordinator, string node)
    {
        using var client = new IngestClient(coordinator.GrpcAddress);
        await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(node),
            IngestClient.Batch(IngestClient.Finding(node, 1, severity: Severity.Fatal, reason: "ForkFailedOutOfPIDs")));
    }

    private static async Task<JsonNode?> Repair(CoordinatorUnderTest coordinator, string node) =>
        (await coordinator.Http.GetFromJsonAsync<JsonObject>($"/api/repairs?node={node}"))?["repairs"]?.AsArray().FirstOrDefault();
}

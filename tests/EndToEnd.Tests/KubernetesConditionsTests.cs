using System.Text.Json.Nodes;
using NodeHealth.EndToEnd.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// A real agent, a real coordinator given a kubeconfig, and the test API server: a fatal kernel line
/// lands on the Node as the REST view shows it, and restarts of the agent and the coordinator leave
/// its transition time where it was; the fleet view lists it by the Node's pool and labels.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class KubernetesConditionsTests : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _scratch = Paths.TempDirectory("nh-k8s");
    private TestApiServer _server = null!;
    private CoordinatorUnderTest _coordinator = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_coordinator is not null)
            await _coordinator.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task A_fatal_kernel_line_reaches_the_Node_as_the_API_shows_it_and_restarts_never_move_its_transition_time()
    {
        var node = $"e2e-k8s-{_run}";
        _server.Nodes.Put(NodeObjects.Kubelet(node, labels: new Dictionary<string, string> { ["karpenter.sh/nodepool"] = "gpu", ["topology.kubernetes.io/zone"] = "eu-west-1a" }));
        var kubelet = Conditions(node).Where(c => c["type"]!.ToString() is "Ready" or "MemoryPressure").Select(c => c.ToJsonString()).ToList();
        var catalog = TestCatalog.WriteFatal(Path.Combine(_scratch, "catalog.yaml"), _run, "manual");
        _coordinator = new CoordinatorUnderTest(Database.Sqlite(), [catalog]);
        _coordinator.ExtraArguments.AddRange([$"--Kubernetes:Kubeconfig={Kubeconfig.Write(_server.Uri)}", "--Kubernetes:Coalesce=00:00:00.050"]);
        await _coordinator.StartAsync();
        await using var agent = new AgentUnderTest(_coordinator, node, [catalog]);
        await agent.StartAsync();

        KernelLog.Write(TestCatalog.FatalLine(_run, "bad DIMM"));
        var view = (await agent.KernelReadyBecomesAsync("False", TestCatalog.FatalReason)).Condition("KernelReady")!;
        var written = await OnServer(node, c => c?["reason"]?.ToString() == TestCatalog.FatalReason);

        foreach (var field in new[] { "status", "reason", "message", "lastTransitionTime" })
            Assert.Equal(view[field]!.ToJsonString(), written[field]!.ToJsonString());
        Assert.Equal(kubelet, Conditions(node).Where(c => c["type"]!.ToString() is "Ready" or "MemoryPressure").Select(c => c.ToJsonString()));
        var warning = await Eventually.ValueAsync(() => Task.FromResult(_server.Events.All().FirstOrDefault(e => e["action"]?.ToString() == "ConditionFalse")),
            e => e is not null, TimeSpan.FromSeconds(10), _ => $"no event recorded KernelReady turning False: {string.Join('\n', _server.Events.All().Select(e => e.ToJsonString()))}");
        Assert.Equal(("Warning", "KernelReady", "node-health", node),
            (warning!["type"]!.ToString(), warning["reason"]!.ToString(), warning["reportingController"]!.ToString(), warning["regarding"]!["name"]!.ToString()));
        Assert.StartsWith($"{TestCatalog.FatalReason}: ", warning["note"]!.ToString());

        var fleet = await Eventually.ValueAsync(
            async () => JsonNode.Parse(await _coordinator.Http.GetStringAsync("/api/nodes?condition=KernelReady&status=False&pool=gpu&label=topology.kubernetes.io/zone=eu-west-1a"))!.AsArray(),
            list => list.Count == 1, TimeSpan.FromSeconds(10), list => $"the filtered fleet view lists {list?.ToJsonString()}, not {node} alone");
        Assert.Equal((node, "gpu", "eu-west-1a"), (fleet.Single()!["name"]!.ToString(), fleet.Single()!["pool"]!.ToString(), fleet.Single()!["zone"]!.ToString()));
        Assert.Empty(JsonNode.Parse(await _coordinator.Http.GetStringAsync("/api/nodes?pool=cpu"))!.AsArray());

        await agent.StopAsync();
        await agent.StartAsync();
        await _coordinator.StopAsync();
        var reads = _server.RequestsTo("GET", $"/api/v1/nodes/{node}").Count;
        await _coordinator.StartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(_server.RequestsTo("GET", $"/api/v1/nodes/{node}").Count > reads), TimeSpan.FromSeconds(30),
            () => $"the restarted coordinator never read node {node}:\n{_coordinator.Output}");
        await agent.KernelReadyBecomesAsync("False", TestCatalog.FatalReason);
        await Task.Delay(TimeSpan.FromSeconds(1)); // Room for a write that should not come.

        Assert.Equal(written["lastTransitionTime"]!.ToString(), Condition(node, "KernelReady")!["lastTransitionTime"]!.ToString());
        var transitions = _server.RequestsTo("PATCH", $"/api/v1/nodes/{node}/status")
            .SelectMany(p => JsonNode.Parse(p.Body)!["status"]!["conditions"]!.AsArray())
            .Where(c => c!["type"]!.ToString() == "KernelReady" && c["status"]!.ToString() == "False")
            .Select(c => c!["lastTransitionTime"]!.ToString()).Distinct();
        Assert.Equal([written["lastTransitionTime"]!.ToString()], transitions);
    }

    private IEnumerable<JsonObject> Conditions(string node) => _server.Nodes.Get(node)!["status"]!["conditions"]!.AsArray().OfType<JsonObject>();

    private JsonObject? Condition(string node, string type) => NodeObjects.Condition(_server.Nodes.Get(node), type);

    private async Task<JsonObject> OnServer(string node, Func<JsonObject?, bool> accept) =>
        (await Eventually.ValueAsync(() => Task.FromResult(Condition(node, "KernelReady")), accept, TimeSpan.FromSeconds(10),
            c => $"the Node's KernelReady is {c?.ToJsonString()}:\n{_coordinator.Output}"))!;
}

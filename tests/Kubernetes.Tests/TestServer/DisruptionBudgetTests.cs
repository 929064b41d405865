using System.Net;
using System.Text.Json.Nodes;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.Kubernetes.Tests.TestServer;

/// <summary>The test server's PodDisruptionBudgets and Eviction subresource answer as the API server's do.</summary>
public sealed class DisruptionBudgetTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web" };
    private TestApiServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _http = new HttpClient { BaseAddress = _server.Uri };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("2", null, 3, 3, 3, 1)]
    [InlineData("3", null, 3, 3, 3, 0)]
    [InlineData("\"50%\"", null, 3, 3, 3, 1)]
    [InlineData("\"50%\"", null, 3, 3, 2, 0)]
    [InlineData("\"100%\"", null, 3, 3, 3, 0)]
    [InlineData("2", null, 5, 3, 3, 1)]
    [InlineData("\"40%\"", null, 5, 3, 3, 1)]
    [InlineData(null, "1", 3, 3, 3, 1)]
    [InlineData(null, "1", 3, 2, 2, 0)]
    [InlineData(null, "0", 3, 3, 3, 0)]
    [InlineData(null, "\"34%\"", 3, 3, 3, 2)]
    [InlineData(null, "\"10%\"", 5, 5, 5, 1)]
    [InlineData(null, "\"10%\"", 5, 5, 4, 0)]
    [InlineData(null, "1", 0, 0, 0, 0)]
    public void Disruptions_allowed_follow_the_disruption_controller_with_percentages_rounded_up(
        string? minAvailable, string? maxUnavailable, int scale, int selected, int healthy, int allowed)
    {
        var (desired, expected) = DisruptionArithmetic.Desired(Parse(minAvailable), Parse(maxUnavailable), scale, selected);

        Assert.Equal(allowed, DisruptionArithmetic.Allowed(healthy, desired, expected));
    }

    [Fact]
    public async Task An_eviction_a_budget_forbids_is_refused_with_the_API_servers_429_and_the_pod_stays()
    {
        _server.Budgets.Put(DisruptionBudgets.Budget("web", Web, minAvailable: "100%"));
        _server.Pods.Put(PodObjects.Running("web-1", "node-a", labels: Web));
        _server.Pods.Put(PodObjects.Running("web-2", "node-b", labels: Web));

        var answer = await Evict("web-1");

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        var status = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal(("Status", "Failure", "TooManyRequests", 429, "Cannot evict pod as it would violate the pod's disruption budget."),
            (status["kind"]!.GetValue<string>(), status["status"]!.GetValue<string>(), status["reason"]!.GetValue<string>(), status["code"]!.GetValue<int>(),
             status["message"]!.GetValue<string>()));
        var cause = status["details"]!["causes"]![0]!;
        Assert.Equal(("DisruptionBudget", "The disruption budget web needs 2 healthy pods and has 2 currently"),
            (cause["reason"]!.GetValue<string>(), cause["message"]!.GetValue<string>()));
        Assert.NotNull(_server.Pods.Get("default", "web-1"));
    }

    [Fact]
    public async Task An_allowed_eviction_deletes_the_pod_and_the_next_one_counts_it_gone()
    {
        _server.Budgets.Put(DisruptionBudgets.Budget("web", Web, maxUnavailable: 1), expectedPods: 3);
        foreach (var name in new[] { "web-1", "web-2", "web-3" })
            _server.Pods.Put(PodObjects.Running(name, "node-a", labels: Web));

        var first = await Evict("web-1");
        var second = await Evict("web-2");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.TooManyRequests), (first.StatusCode, second.StatusCode));
        Assert.Null(_server.Pods.Get("default", "web-1"));
        Assert.Contains("needs 2 healthy pods and has 2 currently", await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_pod_under_two_budgets_cannot_be_evicted_and_gets_a_500_as_from_the_API_server()
    {
        _server.Budgets.Put(DisruptionBudgets.Budget("web", Web, maxUnavailable: 1));
        var byExpression = DisruptionBudgets.Budget("everything-but-db", new Dictionary<string, string>(), maxUnavailable: "50%");
        byExpression["spec"]!["selector"] = JsonNode.Parse("""{"matchExpressions":[{"key":"app","operator":"NotIn","values":["db"]}]}""");
        _server.Budgets.Put(byExpression);
        _server.Pods.Put(PodObjects.Running("web-1", "node-a", labels: Web));
        _server.Pods.Put(PodObjects.Running("db-1", "node-a", labels: new Dictionary<string, string> { ["app"] = "db" }));

        var web = await Evict("web-1");
        var db = await Evict("db-1");

        Assert.Equal(HttpStatusCode.InternalServerError, web.StatusCode);
        Assert.Contains("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", await web.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, db.StatusCode);
    }

    [Fact]
    public async Task An_unready_pod_may_go_while_its_budget_is_met()
    {
        _server.Budgets.Put(DisruptionBudgets.Budget("web", Web, minAvailable: 2));
        _server.Pods.Put(PodObjects.Running("web-1", "node-a", labels: Web));
        _server.Pods.Put(PodObjects.Running("web-2", "node-a", labels: Web));
        _server.Pods.Put(PodObjects.Running("web-3", "node-a", labels: Web, ready: false));

        var ready = await Evict("web-1");
        var unready = await Evict("web-3");

        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.Created), (ready.StatusCode, unready.StatusCode));
    }

    [Fact]
    public async Task A_graceful_delete_leaves_the_pod_terminating_until_its_kubelet_confirms()
    {
        _server.Pods.KubeletStops("node-a");
        _server.Pods.Put(PodObjects.Running("web-1", "node-a", labels: Web));
        _server.Pods.Put(PodObjects.Running("web-2", "node-a", labels: Web));

        var graceful = await _http.DeleteAsync(TestApiServer.PodPath("default", "web-1"));
        var forced = await _http.DeleteAsync(TestApiServer.PodPath("default", "web-2") + "?gracePeriodSeconds=0");
        var listed = JsonNode.Parse(await _http.GetStringAsync("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a"))!;

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (graceful.StatusCode, forced.StatusCode));
        var left = Assert.Single(listed["items"]!.AsArray())!;
        Assert.Equal(("web-1", 30), (left["metadata"]!["name"]!.GetValue<string>(), left["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>()));
    }

    private Task<HttpResponseMessage> Evict(string pod) =>
        _http.PostAsync(TestApiServer.EvictionPath("default", pod), new StringContent(
            new JsonObject
            {
                ["apiVersion"] = "policy/v1",
                ["kind"] = "Eviction",
                ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = "default" },
            }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

    private static JsonNode? Parse(string? value) => value is null ? null : JsonNode.Parse(value);
}

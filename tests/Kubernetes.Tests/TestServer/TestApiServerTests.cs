using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.Kubernetes.Tests.TestServer;

/// <summary>The test server itself behaves as the API server does where our code depends on it.</summary>
public sealed class TestApiServerTests : IAsyncLifetime
{
    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Strategic_merge_of_one_condition_keeps_the_kubelets_conditions()
    {
        _server.Nodes.Put(NodeObjects.Kubelet("node-a"));
        var patch = new { status = new { conditions = new[] { new { type = "KernelReady", status = "True", reason = "KernelIsReady", message = "ok" } } } };

        await _server.Client().CoreV1.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "node-a", fieldManager: "node-health");

        var types = _server.Nodes.Get("node-a")!["status"]!["conditions"]!.AsArray().Select(c => c!["type"]!.GetValue<string>());
        Assert.Equal(["MemoryPressure", "DiskPressure", "PIDPressure", "Ready", "KernelReady"], types);
    }

    [Fact]
    public async Task A_merge_patch_of_node_status_is_refused_because_it_would_replace_the_kubelets_conditions()
    {
        _server.Nodes.Put(NodeObjects.Kubelet("node-a"));
        var patch = new { status = new { conditions = new[] { new { type = "KernelReady", status = "True" } } } };

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _server.Client().CoreV1.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "node-a"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.Response.StatusCode);
        Assert.NotNull(NodeObjects.Condition(_server.Nodes.Get("node-a"), "Ready"));
    }

    [Fact]
    public async Task A_watch_from_a_compacted_version_ends_with_410_Gone()
    {
        _server.Nodes.Put(NodeObjects.Kubelet("node-a"));
        var old = _server.Nodes.ResourceVersion;
        _server.Nodes.Put(NodeObjects.Kubelet("node-b"));
        _server.Nodes.Compact();
        using var http = new HttpClient { BaseAddress = _server.Uri };

        var answer = await http.GetStringAsync($"/api/v1/nodes?watch=true&resourceVersion={old}");

        var error = JsonNode.Parse(answer.Split('\n')[0])!;
        Assert.Equal(("ERROR", 410), (error["type"]!.GetValue<string>(), error["object"]!["code"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_watch_replays_changes_after_its_version_and_sends_bookmarks()
    {
        _server.Nodes.Put(NodeObjects.Kubelet("node-a"));
        var from = _server.Nodes.ResourceVersion;
        _server.Nodes.Put(NodeObjects.Kubelet("node-b"));
        _server.Nodes.Delete("node-a");
        using var http = new HttpClient { BaseAddress = _server.Uri };

        // Long enough for a 200 ms bookmark tick on a loaded machine (1 s missed it about one run in four).
        var answer = await http.GetStringAsync($"/api/v1/nodes?watch=true&allowWatchBookmarks=true&resourceVersion={from}&timeoutSeconds=3");

        var types = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["type"]!.GetValue<string>()).Distinct();
        Assert.Equal(["ADDED", "DELETED", "BOOKMARK"], types);
    }

    [Fact]
    public async Task An_injected_429_carries_Retry_After_and_is_recorded()
    {
        _server.Nodes.Put(NodeObjects.Kubelet("node-a"));
        _server.Faults.Add(new Fault("GET", "/api/v1/nodes/node-a", 429, Times: 1, RetryAfter: TimeSpan.FromSeconds(3)));
        using var http = new HttpClient { BaseAddress = _server.Uri };

        var first = await http.GetAsync("/api/v1/nodes/node-a");
        var second = await http.GetAsync("/api/v1/nodes/node-a");

        Assert.Equal((HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(3)), (first.StatusCode, first.Headers.RetryAfter!.Delta!.Value));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal([429, 200], _server.RequestsTo("GET", "/api/v1/nodes/node-a").Select(r => r.Status));
    }

    [Fact]
    public async Task A_pod_bound_token_reviews_to_its_node_and_a_token_for_another_audience_does_not()
    {
        _server.Tokens.Issue("agent-a", new IssuedToken("node-health-agent", "node-health", "node-health", "node-a"));
        var client = _server.Client();

        var good = await client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "agent-a", Audiences = ["node-health"] } });
        var wrongAudience = await client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "agent-a", Audiences = ["vault"] } });

        Assert.True(good.Status.Authenticated);
        Assert.Equal(["node-a"], good.Status.User.Extra[TokenReviews.NodeNameExtra]);
        Assert.False(wrongAudience.Status.Authenticated);
    }
}

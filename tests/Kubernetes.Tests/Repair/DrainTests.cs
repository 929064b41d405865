using System.Text.Json.Nodes;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Coordinator.Repair.Drain;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.Kubernetes.Tests.Repair;

/// <summary>
/// Draining a node through the Eviction API of the test server, whose PodDisruptionBudgets behave as the API server's.
/// Real time with short timeouts and fast pacing: each test takes at most about two seconds.
/// </summary>
public sealed class DrainTests : IAsyncLifetime
{
    private static readonly DrainPacing Fast = new(new RetryPolicy(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)),
        PollEvery: TimeSpan.FromMilliseconds(50), TerminatingGrace: TimeSpan.FromMilliseconds(200));

    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web" };

    private TestApiServer _server = null!;
    private NodeDrain _drain = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _drain = new NodeDrain(Writers.Api(_server), TimeProvider.System, Fast);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task DaemonSet_mirror_and_finished_pods_stay_while_the_rest_are_evicted()
    {
        _server.Pods.Put(PodObjects.Running("web-7d4b9c-a", "node-a", labels: Web));
        _server.Pods.Put(PodObjects.Running("web-7d4b9c-b", "node-a", labels: Web));
        _server.Pods.Put(PodObjects.Running("debug", "node-a", owner: ""));
        _server.Pods.Put(PodObjects.DaemonSetPod("kube-proxy-x8k2p", "node-a"));
        _server.Pods.Put(PodObjects.Mirror("etcd-node-a", "node-a"));
        _server.Pods.Put(PodObjects.Finished("backup-29164", "node-a"));
        _server.Pods.Put(PodObjects.Running("web-7d4b9c-c", "node-b", labels: Web));

        var outcome = await Drain(TimeSpan.FromSeconds(10));

        Assert.Equal(StepOutcome.Done("evicted 3 pods, skipped 2 DaemonSet/mirror pods, left 1 finished pod alone"), outcome);
        Assert.Equal(["backup-29164", "etcd-node-a", "kube-proxy-x8k2p"], Names(_server.Pods.OnNode("node-a")));
        Assert.Equal(["/api/v1/namespaces/default/pods/debug/eviction", "/api/v1/namespaces/default/pods/web-7d4b9c-a/eviction", "/api/v1/namespaces/default/pods/web-7d4b9c-b/eviction"],
            _server.Mutations.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.Single(_server.Pods.OnNode("node-b"));
    }

    [Fact]
    public async Task A_budget_that_blocks_eviction_past_the_drain_timeout_has_its_pods_deleted_after_the_timeout()
    {
        _server.Budgets.Put(DisruptionBudgets.Budget("web", Web, minAvailable: 2));
        _server.Pods.Put(PodObjects.Running("web-7d4b9c-a", "node-a", labels: Web));
        _server.Pods.Put(PodObjects.Running("web-7d4b9c-b", "node-a", labels: Web));
        _server.Pods.Put(PodObjects.Running("cache-0", "node-a", owner: "StatefulSet"));
        var startedAt = DateTimeOffset.UtcNow;

        var outcome = await Drain(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), startedAt);

        Assert.Equal(StepOutcome.Done("evicted 1 pod, deleted 2 left after the 1s drain timeout (blocked by PodDisruptionBudget default/web)"), outcome);
        Assert.Empty(_server.Pods.OnNode("node-a"));
        var refused = _server.RequestsTo("POST", TestApiServer.EvictionPath("default", "web-7d4b9c-a"));
        Assert.True(refused.Count >= 2, $"the blocked eviction is tried again with backoff: {string.Join(", ", refused)}");
        Assert.All(refused, r => Assert.Equal(429, r.Status));
        var deletes = _server.Mutations.Where(r => r.Method == "DELETE").ToList();
        Assert.Equal(2, deletes.Count);
        Assert.All(deletes, d => Assert.True(d.At >= startedAt.UtcDateTime.AddSeconds(1), $"{d} came before the drain timeout"));
        Assert.All(deletes, d => Assert.Equal(5, JsonNode.Parse(d.Body)!["gracePeriodSeconds"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_budget_that_allows_one_pod_at_a_time_drains_the_node_in_turns()
    {
        _server.Budgets.Put(DisruptionBudgets.Budget("web", Web, maxUnavailable: 1), expectedPods: 3);
        foreach (var name in new[] { "web-7d4b9c-a", "web-7d4b9c-b", "web-7d4b9c-c" })
            _server.Pods.Put(PodObjects.Running(name, "node-a", labels: Web));
        using var stop = new CancellationTokenSource();
        var fewestHealthy = 3;
        var replicaSet = Task.Run(async () =>
        {
            // The ReplicaSet controller: each evicted pod comes back on node-b, Ready 150 ms later.
            var replacements = 0;
            while (!stop.IsCancellationRequested)
            {
                var healthy = _server.Pods.List(p => PodStore.IsHealthy(p) && p["metadata"]!["labels"]!["app"]?.GetValue<string>() == "web").Count;
                fewestHealthy = Math.Min(fewestHealthy, healthy);
                if (healthy < 3)
                {
                    await Task.Delay(150);
                    _server.Pods.Put(PodObjects.Running($"web-7d4b9c-r{++replacements}", "node-b", labels: Web));
                }

                await Task.Delay(20);
            }
        });

        var outcome = await Drain(TimeSpan.FromSeconds(10));
        await Eventually.Holds(() => Assert.Equal(3, _server.Pods.OnNode("node-b").Count));
        await stop.CancelAsync();
        await replicaSet;

        Assert.Equal(StepOutcome.Done("evicted 3 pods"), outcome);
        Assert.Equal(2, fewestHealthy);
        Assert.Contains(_server.Requests, r => r.Path.EndsWith("/eviction", StringComparison.Ordinal) && r.Status == 429);
        Assert.DoesNotContain(_server.Mutations, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_honoured_while_other_pods_go_on()
    {
        _server.Pods.Put(PodObjects.Running("web-7d4b9c-a", "node-a", labels: Web));
        _server.Pods.Put(PodObjects.Running("worker-5f6d7-a", "node-a"));
        _server.Faults.Add(new Fault("POST", TestApiServer.EvictionPath("default", "web-7d4b9c-a"), 429, Times: 1, RetryAfter: TimeSpan.FromSeconds(1)));

        var outcome = await Drain(TimeSpan.FromSeconds(10));

        Assert.Equal(StepOutcome.Done("evicted 2 pods"), outcome);
        var web = _server.RequestsTo("POST", TestApiServer.EvictionPath("default", "web-7d4b9c-a"));
        Assert.Equal([429, 201], web.Select(r => r.Status));
        Assert.True(web[1].At - web[0].At >= TimeSpan.FromSeconds(1), $"tried again {(web[1].At - web[0].At).TotalMilliseconds:0} ms after a Retry-After of 1 s");
        var worker = Assert.Single(_server.RequestsTo("POST", TestApiServer.EvictionPath("default", "worker-5f6d7-a")));
        Assert.True(worker.At < web[1].At, "the other pod was evicted while the refused one waited");
    }

    [Fact]
    public async Task A_drain_resumed_after_its_deadline_deletes_what_is_left_without_evicting()
    {
        _server.Pods.Put(PodObjects.Running("web-7d4b9c-a", "node-a", labels: Web));

        var outcome = await Drain(TimeSpan.FromMinutes(15), null, DateTimeOffset.UtcNow - TimeSpan.FromMinutes(20));

        Assert.Equal(StepOutcome.Done("deleted 1 left after the 15m drain timeout"), outcome);
        var delete = Assert.Single(_server.Mutations);
        Assert.Equal(("DELETE", TestApiServer.PodPath("default", "web-7d4b9c-a")), (delete.Method, delete.Path));
        Assert.Null(JsonNode.Parse(delete.Body)!["gracePeriodSeconds"]);
        Assert.NotNull(JsonNode.Parse(delete.Body)!["preconditions"]!["uid"]);
    }

    [Fact]
    public async Task A_delete_the_API_server_fails_after_the_timeout_hands_the_step_back_to_retry()
    {
        _server.Pods.Put(PodObjects.Running("web-7d4b9c-a", "node-a", labels: Web));
        _server.Faults.Add(new Fault("DELETE", TestApiServer.PodPath("default", "web-7d4b9c-a"), 503, Times: 1));

        var failed = await Drain(TimeSpan.FromMinutes(15), null, DateTimeOffset.UtcNow - TimeSpan.FromMinutes(20));
        var again = await Drain(TimeSpan.FromMinutes(15), null, DateTimeOffset.UtcNow - TimeSpan.FromMinutes(20));

        Assert.Equal(StepOutcome.Retry("deleting pod default/web-7d4b9c-a after the drain timeout failed (503: test server: injected fault); trying again"), failed);
        Assert.Equal(StepOutcome.Done("deleted 1 left after the 15m drain timeout"), again);
    }

    [Fact]
    public async Task Pods_whose_kubelet_never_confirms_do_not_hold_the_drain_forever()
    {
        _server.Pods.KubeletStops("node-a");
        _server.Pods.Put(PodObjects.Running("web-7d4b9c-a", "node-a", labels: Web, graceSeconds: 1));

        var outcome = await Drain(TimeSpan.FromSeconds(10));

        Assert.Equal(StepOutcome.Done("evicted 1 pod, 1 pod still terminating past its grace period (the kubelet does not confirm), left to the reboot or replacement"), outcome);
        Assert.NotNull(Assert.Single(_server.Pods.OnNode("node-a"))["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task Draining_a_node_with_no_pods_left_is_done_at_once()
    {
        var outcome = await Drain(TimeSpan.FromSeconds(10));

        Assert.Equal(StepOutcome.Done("no pods to evict"), outcome);
        Assert.Empty(_server.Mutations);
    }

    [Fact]
    public async Task An_API_server_answering_503_makes_the_drain_retry()
    {
        _server.Pods.Put(PodObjects.Running("web-7d4b9c-a", "node-a", labels: Web));
        _server.Faults.Add(new Fault("GET", "/api/v1/pods", 503, Times: 1));

        var outcome = await Drain(TimeSpan.FromSeconds(10));

        Assert.Equal(StepOutcome.Retry("listing the pods on node node-a failed (503: test server: injected fault); trying again"), outcome);
        Assert.Empty(_server.Mutations);
    }

    /// <summary>A drain that does not end fails its test (cancelled) instead of hanging the run.</summary>
    private async Task<StepOutcome> Drain(TimeSpan timeout, TimeSpan? grace = null, DateTimeOffset? startedAt = null)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _drain.DrainAsync("node-a", new DrainSettings(timeout, grace), startedAt ?? DateTimeOffset.UtcNow, limit.Token);
    }

    private static List<string> Names(IEnumerable<JsonObject> pods) => [.. pods.Select(PodStore.Name).Order(StringComparer.Ordinal)];
}

using System.Collections.Immutable;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Repair.Replace;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;
using static NodeHealth.Kubernetes.Tests.Support.ApiServer.CustomObjectSamples;

namespace NodeHealth.Kubernetes.Tests.Repair;

/// <summary>
/// Each provider against the Kubernetes test server: what it deletes, that asking again (a resumed step) finds the
/// replacement under way without a second DELETE, what it says when nothing owns the node, and Retry when the server is busy.
/// </summary>
public sealed class ReplaceProviderTests : IAsyncLifetime
{
    private const string NodeA = "ip-10-0-1-5.ec2.internal";
    private const string NodeClaimsPath = "/apis/karpenter.sh/v1/nodeclaims";
    private const string NoPool = NodeHealth.Actors.Repair.Budgets.BudgetPolicy.NoPool;
    private static readonly CustomResource NodeClaims = CustomResource.NodeClaims;
    private static readonly CustomResource Machines = CustomResource.Machines;

    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private NodeReplacer Replacer(ReplaceProvider provider, TimeSpan? timeout = null) =>
        new(Writers.Api(_server, timeout), new ReplaceChoice(provider, ImmutableDictionary<string, ReplaceProvider>.Empty));

    private int Deletes() => _server.Requests.Count(r => r.Method == "DELETE");

    [Fact]
    public async Task DeleteNode_deletes_the_node_once_and_asking_again_finds_it_gone()
    {
        var uid = _server.Nodes.Put(Node(NodeA))["metadata"]!["uid"]!.GetValue<string>();
        var replacer = Replacer(ReplaceProvider.DeleteNode);

        var first = await replacer.ReplaceAsync(NodeA, "static", CancellationToken.None);
        var again = await replacer.ReplaceAsync(NodeA, "static", CancellationToken.None);

        Assert.Equal(StepOutcome.Done($"replace through DeleteNode (pool static): deleted node {NodeA}; what manages its machine brings a replacement"), first);
        Assert.Equal(StepOutcome.Done($"replace through DeleteNode (pool static): node {NodeA} is gone: already replaced"), again);
        Assert.Null(_server.Nodes.Get(NodeA));
        var delete = Assert.Single(_server.RequestsTo("DELETE", $"/api/v1/nodes/{NodeA}"));
        Assert.Contains(uid, delete.Body);
    }

    [Fact]
    public async Task DeleteNode_on_a_node_whose_finalizers_still_run_is_done_and_not_deleted_twice()
    {
        var node = Node(NodeA);
        node["metadata"]!["finalizers"] = new System.Text.Json.Nodes.JsonArray(KarpenterFinalizer);
        _server.Nodes.Put(node);
        var replacer = Replacer(ReplaceProvider.DeleteNode);

        var first = await replacer.ReplaceAsync(NodeA, "gpu", CancellationToken.None);
        var again = await replacer.ReplaceAsync(NodeA, "gpu", CancellationToken.None);

        Assert.Equal(StepStatus.Done, first.Status);
        Assert.Contains("its finalizers karpenter.sh/termination run first", first.Detail);
        Assert.NotNull(_server.Nodes.Get(NodeA)?["metadata"]?["deletionTimestamp"]);
        Assert.Equal(StepStatus.Done, again.Status);
        Assert.Contains("is being deleted since", again.Detail);
        Assert.Equal(1, Deletes());
    }

    [Fact]
    public async Task Karpenter_deletes_the_NodeClaim_that_owns_the_node_and_asking_again_sees_it_terminating()
    {
        _server.Nodes.Put(Node(NodeA, "i-0aaa"));
        _server.CustomObjects.Put(NodeClaims, NodeClaim("gpu-x7k2p", NodeA, "i-0aaa"));
        _server.CustomObjects.Put(NodeClaims, NodeClaim("gpu-b9q4m", "ip-10-0-2-7.ec2.internal", "i-0bbb"));
        var replacer = Replacer(ReplaceProvider.Karpenter);

        var first = await replacer.ReplaceAsync(NodeA, "gpu", CancellationToken.None);
        var again = await replacer.ReplaceAsync(NodeA, "gpu", CancellationToken.None);

        Assert.Equal(StepOutcome.Done($"replace through Karpenter (pool gpu): deleted NodeClaim gpu-x7k2p (found by status.nodeName {NodeA}); " +
                                      $"Karpenter drains node {NodeA}, terminates its instance and provisions a replacement if pods need one"), first);
        Assert.Equal(StepStatus.Done, again.Status);
        Assert.Contains("NodeClaim gpu-x7k2p of node ip-10-0-1-5.ec2.internal is being deleted since", again.Detail);
        Assert.Single(_server.RequestsTo("DELETE", $"{NodeClaimsPath}/gpu-x7k2p"));
        Assert.Equal(1, Deletes());
        Assert.NotNull(_server.CustomObjects.Get(NodeClaims, "", "gpu-x7k2p")?["metadata"]?["deletionTimestamp"]);
        Assert.Null(_server.CustomObjects.Get(NodeClaims, "", "gpu-b9q4m")?["metadata"]?["deletionTimestamp"]);
        Assert.NotNull(_server.Nodes.Get(NodeA));
    }

    [Fact]
    public async Task Karpenter_finds_a_NodeClaim_by_instance_when_its_node_name_is_not_written_yet()
    {
        _server.Nodes.Put(Node(NodeA, "i-0aaa"));
        _server.CustomObjects.Put(NodeClaims, NodeClaim("gpu-x7k2p", nodeName: null, "i-0aaa", finalizers: false));

        var outcome = await Replacer(ReplaceProvider.Karpenter).ReplaceAsync(NodeA, "gpu", CancellationToken.None);

        Assert.Equal(StepStatus.Done, outcome.Status);
        Assert.Contains("found by status.providerID aws:///us-west-2a/i-0aaa", outcome.Detail);
        Assert.Null(_server.CustomObjects.Get(NodeClaims, "", "gpu-x7k2p"));
    }

    [Fact]
    public async Task Karpenter_fails_when_no_NodeClaim_owns_the_node_saying_what_it_looked_for_and_what_to_configure()
    {
        _server.Nodes.Put(Node(NodeA, "i-0aaa"));
        _server.CustomObjects.Put(NodeClaims, NodeClaim("gpu-b9q4m", "ip-10-0-2-7.ec2.internal", "i-0bbb"));

        var outcome = await Replacer(ReplaceProvider.Karpenter).ReplaceAsync(NodeA, "static", CancellationToken.None);

        Assert.Equal(StepOutcome.Failed($"replace through Karpenter (pool static): no Karpenter NodeClaim owns node {NodeA} " +
                                        $"(looked for a NodeClaim with status.nodeName {NodeA} or status.providerID aws:///us-west-2a/i-0aaa); " +
                                        "Karpenter does not manage it: set this pool's provider (Repair:Replace:Pools) to DeleteNode or ClusterApi"), outcome);
        Assert.Equal(0, Deletes());
    }

    [Fact]
    public async Task Karpenter_fails_where_Karpenter_is_not_installed()
    {
        _server.Nodes.Put(Node(NodeA, "i-0aaa"));
        _server.CustomObjects.Uninstall(NodeClaims);

        var outcome = await Replacer(ReplaceProvider.Karpenter).ReplaceAsync(NodeA, "gpu", CancellationToken.None);

        Assert.Equal(StepStatus.Failed, outcome.Status);
        Assert.Contains("does not serve karpenter.sh/v1 nodeclaims", outcome.Detail);
    }

    [Fact]
    public async Task A_busy_or_silent_server_is_a_retry_and_the_next_try_replaces()
    {
        _server.Nodes.Put(Node(NodeA, "i-0aaa"));
        _server.CustomObjects.Put(NodeClaims, NodeClaim("gpu-x7k2p", NodeA, "i-0aaa"));
        _server.Faults.Add(new Fault("GET", NodeClaimsPath, 503, Times: 1));
        _server.Faults.Add(new Fault("DELETE", $"{NodeClaimsPath}/gpu-x7k2p", 429, Times: 1, RetryAfter: TimeSpan.FromSeconds(3)));
        _server.Faults.Add(new Fault("GET", $"/api/v1/nodes/{NodeA}", 0, Times: 1, Delay: TimeSpan.FromSeconds(4)));
        // Long enough for a busy CI machine to answer the calls that do answer; the silent one waits 4 s.
        var replacer = Replacer(ReplaceProvider.Karpenter, timeout: TimeSpan.FromMilliseconds(1500));

        var silent = await replacer.ReplaceAsync(NodeA, "gpu", CancellationToken.None);
        var unavailable = await replacer.ReplaceAsync(NodeA, "gpu", CancellationToken.None);
        var throttled = await replacer.ReplaceAsync(NodeA, "gpu", CancellationToken.None);
        var done = await replacer.ReplaceAsync(NodeA, "gpu", CancellationToken.None);

        Assert.Equal(StepOutcome.Retry($"replace through Karpenter (pool gpu): reading node {NodeA}: no answer within 1.5s"), silent);
        Assert.Equal(StepOutcome.Retry("replace through Karpenter (pool gpu): listing Karpenter NodeClaims: 503: test server: injected fault"), unavailable);
        Assert.Equal(StepOutcome.Retry($"replace through Karpenter (pool gpu): deleting NodeClaim gpu-x7k2p of node {NodeA}: 429: test server: injected fault " +
                                       "(the server asks to retry after 3s)"), throttled);
        Assert.Equal(StepStatus.Done, done.Status);
        Assert.Contains("deleted NodeClaim gpu-x7k2p", done.Detail);
    }

    [Fact]
    public async Task ClusterApi_deletes_the_Machine_the_annotations_name_and_asking_again_sees_it_deleting()
    {
        _server.Nodes.Put(ClusterApiNode("prod-md-0-abc", "capi-prod", "prod-md-0-abc-xyz"));
        _server.CustomObjects.Put(Machines, Machine("capi-prod", "prod-md-0-abc-xyz", "prod-md-0-abc"));
        _server.CustomObjects.Put(Machines, Machine("capi-prod", "prod-md-0-def-uvw", "prod-md-0-def"));
        var replacer = Replacer(ReplaceProvider.ClusterApi);

        var first = await replacer.ReplaceAsync("prod-md-0-abc", "prod-md-0", CancellationToken.None);
        var again = await replacer.ReplaceAsync("prod-md-0-abc", "prod-md-0", CancellationToken.None);

        Assert.Equal(StepOutcome.Done("replace through ClusterApi (pool prod-md-0): deleted Machine capi-prod/prod-md-0-abc-xyz (found by the annotation cluster.x-k8s.io/machine); " +
                                      "Cluster API drains node prod-md-0-abc and its MachineSet creates a replacement"), first);
        Assert.Equal(StepStatus.Done, again.Status);
        Assert.Contains("Machine capi-prod/prod-md-0-abc-xyz of node prod-md-0-abc is being deleted since", again.Detail);
        Assert.Single(_server.RequestsTo("DELETE", "/apis/cluster.x-k8s.io/v1beta1/namespaces/capi-prod/machines/prod-md-0-abc-xyz"));
        Assert.Equal(1, Deletes());
        Assert.Null(_server.CustomObjects.Get(Machines, "capi-prod", "prod-md-0-def-uvw")?["metadata"]?["deletionTimestamp"]);
    }

    [Fact]
    public async Task ClusterApi_without_annotations_finds_the_Machine_by_its_nodeRef_and_a_Machine_gone_is_done()
    {
        _server.Nodes.Put(Node("prod-md-0-abc"));
        _server.CustomObjects.Put(Machines, Machine("capi-prod", "prod-md-0-abc-xyz", "prod-md-0-abc", finalizers: false));
        var replacer = Replacer(ReplaceProvider.ClusterApi);

        var first = await replacer.ReplaceAsync("prod-md-0-abc", "prod-md-0", CancellationToken.None);
        _server.Nodes.Put(ClusterApiNode("prod-md-0-abc", "capi-prod", "prod-md-0-abc-xyz"));
        var again = await replacer.ReplaceAsync("prod-md-0-abc", "prod-md-0", CancellationToken.None);

        Assert.Equal(StepStatus.Done, first.Status);
        Assert.Contains("found by status.nodeRef prod-md-0-abc", first.Detail);
        Assert.Equal(StepOutcome.Done("replace through ClusterApi (pool prod-md-0): Machine capi-prod/prod-md-0-abc-xyz of node prod-md-0-abc is gone: already replaced"), again);
        Assert.Equal(1, Deletes());
    }

    [Fact]
    public async Task ClusterApi_fails_when_no_Machine_owns_the_node_or_the_annotated_one_belongs_to_another_node()
    {
        _server.Nodes.Put(Node("static-1"));
        _server.Nodes.Put(ClusterApiNode("prod-md-0-abc", "capi-prod", "prod-md-0-abc-xyz"));
        _server.CustomObjects.Put(Machines, Machine("capi-prod", "prod-md-0-abc-xyz", "prod-md-0-zzz"));
        var replacer = Replacer(ReplaceProvider.ClusterApi);

        var unowned = await replacer.ReplaceAsync("static-1", "static", CancellationToken.None);
        var mismatched = await replacer.ReplaceAsync("prod-md-0-abc", "prod-md-0", CancellationToken.None);

        Assert.Equal(StepOutcome.Failed("replace through ClusterApi (pool static): no Cluster API Machine owns node static-1 (looked for the annotations " +
                                        "cluster.x-k8s.io/machine and cluster.x-k8s.io/cluster-namespace on the node, or a Machine with status.nodeRef static-1); " +
                                        "Cluster API does not manage it: set this pool's provider (Repair:Replace:Pools) to DeleteNode or Karpenter"), unowned);
        Assert.Equal(StepStatus.Failed, mismatched.Status);
        Assert.Contains("has status.nodeRef prod-md-0-zzz, not prod-md-0-abc: not deleting it", mismatched.Detail);
        Assert.Equal(0, Deletes());
    }

    [Fact]
    public async Task ClusterApi_in_a_workload_cluster_without_Machines_fails_instead_of_calling_the_Machine_gone()
    {
        _server.Nodes.Put(ClusterApiNode("prod-md-0-abc", "capi-prod", "prod-md-0-abc-xyz"));
        _server.CustomObjects.Uninstall(Machines);

        var outcome = await Replacer(ReplaceProvider.ClusterApi).ReplaceAsync("prod-md-0-abc", "prod-md-0", CancellationToken.None);

        Assert.Equal(StepStatus.Failed, outcome.Status);
        Assert.Contains("does not serve cluster.x-k8s.io/v1beta1 machines", outcome.Detail);
        Assert.Contains("management cluster", outcome.Detail);
    }

    [Fact]
    public async Task ClusterApi_retries_when_the_delete_meets_a_busy_server()
    {
        _server.Nodes.Put(ClusterApiNode("prod-md-0-abc", "capi-prod", "prod-md-0-abc-xyz"));
        _server.CustomObjects.Put(Machines, Machine("capi-prod", "prod-md-0-abc-xyz", "prod-md-0-abc"));
        _server.Faults.Add(new Fault("DELETE", "/apis/cluster.x-k8s.io/v1beta1/namespaces/capi-prod/machines/prod-md-0-abc-xyz", 503, Times: 1));

        var outcome = await Replacer(ReplaceProvider.ClusterApi).ReplaceAsync("prod-md-0-abc", "prod-md-0", CancellationToken.None);

        Assert.Equal(StepStatus.Retry, outcome.Status);
        Assert.Null(_server.CustomObjects.Get(Machines, "capi-prod", "prod-md-0-abc-xyz")?["metadata"]?["deletionTimestamp"]);
    }

    [Fact]
    public async Task Each_pool_is_replaced_through_its_own_provider()
    {
        _server.Nodes.Put(Node(NodeA, "i-0aaa"));
        _server.Nodes.Put(Node("static-1"));
        _server.CustomObjects.Put(NodeClaims, NodeClaim("gpu-x7k2p", NodeA, "i-0aaa"));
        var (choice, errors) = new ReplaceOptions { Pools = { ["gpu"] = "Karpenter" } }.Resolve();
        Assert.Empty(errors);
        var replacer = new NodeReplacer(Writers.Api(_server), choice);

        var gpu = await replacer.ReplaceAsync(NodeA, "gpu", CancellationToken.None);
        var other = await replacer.ReplaceAsync("static-1", NoPool, CancellationToken.None);

        Assert.StartsWith("replace through Karpenter (pool gpu): deleted NodeClaim gpu-x7k2p", gpu.Detail);
        Assert.StartsWith("replace through DeleteNode (pool (no pool)): deleted node static-1", other.Detail);
        Assert.Equal([$"{NodeClaimsPath}/gpu-x7k2p", "/api/v1/nodes/static-1"], _server.Requests.Where(r => r.Method == "DELETE").Select(r => r.Path));
        Assert.NotNull(_server.Nodes.Get(NodeA));
    }

    [Fact]
    public async Task The_API_servers_refusal_is_a_failure_that_names_the_missing_permission()
    {
        _server.Nodes.Put(Node("static-1"));
        _server.Faults.Add(new Fault("DELETE", "/api/v1/nodes/static-1", 403, Times: 1));

        var outcome = await Replacer(ReplaceProvider.DeleteNode).ReplaceAsync("static-1", "static", CancellationToken.None);

        Assert.Equal(StepOutcome.Failed("replace through DeleteNode (pool static): deleting node static-1: 403: test server: injected fault; " +
                                        "the coordinator's ClusterRole (k8s/base/coordinator/rbac.yaml) must allow it"), outcome);
    }
}

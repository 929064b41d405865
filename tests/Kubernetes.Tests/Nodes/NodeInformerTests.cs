using Microsoft.Extensions.Logging.Abstractions;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Coordinator.Kubernetes.Nodes;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.Kubernetes.Tests.Nodes;

public sealed class NodeInformerTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private NodeInformer _informer = null!;
    private readonly NodeDirectory _directory = new();

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _server.BookmarkEvery = TimeSpan.FromMilliseconds(50);
        _server.Nodes.Put(NodeObjects.Kubelet("node-a", "boot-a", new Dictionary<string, string>
        {
            ["karpenter.sh/nodepool"] = "gpu",
            ["topology.kubernetes.io/zone"] = "eu-west-1a",
            ["node.kubernetes.io/instance-type"] = "p5.48xlarge",
        }));
        _informer = new NodeInformer(Writers.Api(_server), _directory, NullLogger<NodeInformer>.Instance)
        {
            Retry = new RetryPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)),
        };
        await _informer.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _informer.StopAsync(CancellationToken.None);
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task The_list_gives_each_node_its_pool_zone_instance_type_and_boot_id()
    {
        await Eventually.Holds(() => Assert.NotNull(_directory.Find("node-a")));

        var node = _directory.Find("node-a")!;
        Assert.Equal(("gpu", "eu-west-1a", "p5.48xlarge", "boot-a", false), (node.Pool, node.Zone, node.InstanceType, node.BootId, node.Cordoned));
    }

    [Fact]
    public async Task The_watch_follows_new_cordoned_rebooted_and_deleted_nodes_through_bookmarks()
    {
        await Eventually.Holds(() => Assert.Equal(1, _informer.Lists));
        await Task.Delay(200); // A few bookmarks go by: none of them is a node.

        _server.Nodes.Put(NodeObjects.Kubelet("node-b"));
        var rebooted = NodeObjects.Kubelet("node-a", "boot-a2");
        rebooted["spec"]!["unschedulable"] = true;
        rebooted["spec"]!["taints"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            { ["key"] = "node.kubernetes.io/unschedulable", ["effect"] = "NoSchedule" });
        _server.Nodes.Put(rebooted);
        _server.Nodes.Delete("node-b");

        await Eventually.Holds(() => Assert.Equal(("boot-a2", true), (_directory.Find("node-a")?.BootId, _directory.Find("node-a")?.Cordoned)));
        Assert.Equal("node.kubernetes.io/unschedulable:NoSchedule", Assert.Single(_directory.Find("node-a")!.Taints));
        await Eventually.Holds(() => Assert.Equal(["node-a"], _directory.Nodes.Keys));
        Assert.Equal(1, _informer.Lists);
    }

    [Fact]
    public async Task A_broken_watch_resumes_and_a_version_gone_meanwhile_makes_it_list_again()
    {
        await Eventually.Holds(() => Assert.Equal(1, _informer.Lists));

        // The informer's next request waits a second, so the change and the compaction surely happen while it is away
        // (resumed at once, it could see node-c live and never need the version that is gone).
        _server.Faults.Add(new Fault("GET", "/api/v1/nodes", Status: 0, Times: 1, Delay: TimeSpan.FromSeconds(1)));
        _server.DropWatches();
        _server.Nodes.Put(NodeObjects.Kubelet("node-c"));
        _server.Nodes.Compact();

        await Eventually.Holds(() => Assert.Equal(2, _informer.Lists));
        Assert.NotNull(_directory.Find("node-c"));
        Assert.Contains(_server.RequestsTo("GET", "/api/v1/nodes"), r => r.Query.Contains("watch=true") && r.Status == 200);
    }
}

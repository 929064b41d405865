using System.Text.Json.Nodes;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Repair.Drain;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.Kubernetes.Tests.Repair;

/// <summary>Cordon and uncordon against the test API server: idempotent, and never lifting a cordon node-health does not hold.</summary>
public sealed class DrainCordonTests : IAsyncLifetime
{
    private const string NodePath = "/api/v1/nodes/node-a";
    private TestApiServer _server = null!;
    private NodeCordon _cordon = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _cordon = new NodeCordon(Writers.Api(_server), TimeProvider.System);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Cordon_marks_the_node_unschedulable_for_the_repair_and_a_second_cordon_writes_nothing()
    {
        _server.Nodes.Put(NodeObjects.Kubelet("node-a"));

        var first = await _cordon.CordonAsync("node-a", CancellationToken.None);
        var second = await _cordon.CordonAsync("node-a", CancellationToken.None);

        Assert.Equal(StepOutcome.Done("cordoned node node-a"), first);
        Assert.Equal(StepOutcome.Done("node node-a is cordoned for this repair"), second);
        var node = _server.Nodes.Get("node-a")!;
        Assert.True(node["spec"]!["unschedulable"]!.GetValue<bool>());
        Assert.NotNull(node["metadata"]!["annotations"]![Cordons.Annotation]);
        Assert.NotNull(NodeObjects.Condition(node, "Ready"));
        Assert.Single(_server.Mutations);
        Assert.Equal("application/merge-patch+json", _server.Mutations[0].ContentType?.Split(';')[0]);
    }

    [Fact]
    public async Task Uncordon_lifts_the_repairs_cordon_once_and_then_writes_nothing()
    {
        _server.Nodes.Put(NodeObjects.Kubelet("node-a"));
        await _cordon.CordonAsync("node-a", CancellationToken.None);

        var first = await _cordon.UncordonAsync("node-a", CancellationToken.None);
        var second = await _cordon.UncordonAsync("node-a", CancellationToken.None);

        Assert.Equal(StepOutcome.Done("uncordoned node node-a"), first);
        Assert.Equal(StepOutcome.Done("node node-a is schedulable"), second);
        var node = _server.Nodes.Get("node-a")!;
        Assert.Null(node["spec"]!["unschedulable"]);
        Assert.Null(node["metadata"]!["annotations"]?[Cordons.Annotation]);
        Assert.Equal(2, _server.RequestsTo("PATCH", NodePath).Count);
    }

    [Fact]
    public async Task A_node_an_operator_cordoned_stays_cordoned_through_the_repair()
    {
        var node = NodeObjects.Kubelet("node-a");
        node["spec"]!["unschedulable"] = true;
        _server.Nodes.Put(node);

        var cordoned = await _cordon.CordonAsync("node-a", CancellationToken.None);
        var uncordoned = await _cordon.UncordonAsync("node-a", CancellationToken.None);

        Assert.Equal(StepOutcome.Done("node node-a was already cordoned by someone else; it stays cordoned after the repair"), cordoned);
        Assert.Equal(StepOutcome.Done("node node-a stays cordoned: someone else cordoned it, not node-health"), uncordoned);
        Assert.True(_server.Nodes.Get("node-a")!["spec"]!["unschedulable"]!.GetValue<bool>());
        Assert.Empty(_server.Mutations);
    }

    [Fact]
    public async Task An_operator_cordoning_between_our_read_and_our_write_keeps_the_cordon_theirs()
    {
        _server.Nodes.Put(NodeObjects.Kubelet("node-a"));
        _server.Faults.Add(new Fault("PATCH", NodePath, Status: 0, Times: 1, Delay: TimeSpan.FromMilliseconds(500)));

        var racing = _cordon.CordonAsync("node-a", CancellationToken.None);
        await Eventually.Holds(() => Assert.Single(_server.RequestsTo("GET", NodePath)));
        var operatorCordoned = _server.Nodes.Get("node-a")!;
        operatorCordoned["spec"]!["unschedulable"] = true;
        _server.Nodes.Put(operatorCordoned);
        var raced = await racing;
        var again = await _cordon.CordonAsync("node-a", CancellationToken.None);
        var uncordoned = await _cordon.UncordonAsync("node-a", CancellationToken.None);

        Assert.Equal(StepStatus.Retry, raced.Status);
        Assert.Contains("409", raced.Detail);
        Assert.Equal(StepStatus.Done, again.Status);
        Assert.Contains("stays cordoned", uncordoned.Detail);
        var node = _server.Nodes.Get("node-a")!;
        Assert.True(node["spec"]!["unschedulable"]!.GetValue<bool>());
        Assert.Null(node["metadata"]!["annotations"]?[Cordons.Annotation]);
    }

    [Fact]
    public async Task Cordoning_a_node_that_is_gone_fails_and_uncordoning_it_is_done()
    {
        var cordoned = await _cordon.CordonAsync("node-a", CancellationToken.None);
        var uncordoned = await _cordon.UncordonAsync("node-a", CancellationToken.None);

        Assert.Equal(StepOutcome.Failed("node node-a is gone (404: nodes \"node-a\" not found): nothing to cordon"), cordoned);
        Assert.Equal(StepOutcome.Done("node node-a is gone (replaced): nothing to uncordon"), uncordoned);
        Assert.Empty(_server.Mutations);
    }

    [Fact]
    public async Task An_API_server_answering_503_makes_cordon_retry()
    {
        _server.Nodes.Put(NodeObjects.Kubelet("node-a"));
        _server.Faults.Add(new Fault("GET", NodePath, 503, Times: 1));

        var outcome = await _cordon.CordonAsync("node-a", CancellationToken.None);

        Assert.Equal(StepOutcome.Retry("reading node node-a failed (503: test server: injected fault); trying again"), outcome);
        Assert.Empty(_server.Mutations);
        Assert.Null(_server.Nodes.Get("node-a")!["spec"]!["unschedulable"]);
    }
}

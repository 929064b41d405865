using System.Text.Json.Nodes;
using Akka.Actor;
using NodeHealth.Contracts;
using NodeHealth.Coordinator.Kubernetes.Conditions;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;
using static NodeHealth.Kubernetes.Tests.Support.Writers;

namespace NodeHealth.Kubernetes.Tests.Conditions;

public sealed class NodeConditionWriterTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private const string StatusPath = "/api/v1/nodes/node-a/status";
    private TestApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _server.Nodes.Put(NodeObjects.Kubelet("node-a"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IActorRef Writer(ConditionWriterSettings? settings = null) =>
        Sys.ActorOf(NodeConditionWriter.Props("node-a", settings ?? Settings(_server)));

    private JsonObject? OnServer(string type) => NodeObjects.Condition(_server.Nodes.Get("node-a"), type);

    [Fact]
    public async Task Our_condition_lands_exactly_as_the_state_says_and_the_kubelets_conditions_stay_untouched()
    {
        var kubeletBefore = _server.Nodes.Get("node-a")!["status"]!["conditions"]!.ToJsonString();

        Writer().Tell(State("node-a", KernelPanic(T0.AddSeconds(7))));

        await Eventually.Holds(() => Assert.NotNull(OnServer("KernelReady")));
        var ours = OnServer("KernelReady")!;
        Assert.Equal(("False", "KernelPanic", "KernelPanic: Kernel panic - not syncing: Fatal exception", "2026-11-27T09:00:07Z"),
            (ours["status"]!.GetValue<string>(), ours["reason"]!.GetValue<string>(), ours["message"]!.GetValue<string>(), ours["lastTransitionTime"]!.GetValue<string>()));
        var kubeletAfter = new JsonArray([.. _server.Nodes.Get("node-a")!["status"]!["conditions"]!.AsArray().Take(4).Select(c => c!.DeepClone())]);
        Assert.Equal(kubeletBefore, kubeletAfter.ToJsonString());
        var patch = Assert.Single(_server.RequestsTo("PATCH", StatusPath));
        Assert.Equal(("application/strategic-merge-patch+json; charset=utf-8", "?fieldManager=node-health"), (patch.ContentType, patch.Query));
    }

    [Fact]
    public async Task A_burst_of_states_goes_out_as_one_patch_carrying_the_last()
    {
        var writer = Writer();
        for (var i = 0; i < 20; i++)
            writer.Tell(State("node-a", KernelReady(T0), Condition(ConditionType.StorageReady, ConditionStatus.True, "StorageIsReady", $"check {i}", T0)));

        await Eventually.Holds(() => Assert.Equal("check 19", OnServer("StorageReady")?["message"]?.GetValue<string>()));
        await Eventually.Stays(() => Assert.Single(_server.RequestsTo("PATCH", StatusPath)), TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_new_writer_for_the_same_state_reads_the_node_and_writes_nothing()
    {
        var state = State("node-a", KernelPanic(T0));
        var first = Writer();
        first.Tell(state);
        await Eventually.Holds(() => Assert.NotNull(OnServer("KernelReady")));
        Watch(first);
        Sys.Stop(first); // The entity restarted or its shard moved: a new writer, the same state.
        ExpectTerminated(first);

        Writer().Tell(state);

        await Eventually.Holds(() => Assert.Equal(2, _server.RequestsTo("GET", "/api/v1/nodes/node-a").Count));
        await Eventually.Stays(() => Assert.Single(_server.RequestsTo("PATCH", StatusPath)), TimeSpan.FromMilliseconds(300));
        Assert.Equal("2026-11-27T09:00:00Z", OnServer("KernelReady")!["lastTransitionTime"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_heartbeat_rewrites_our_conditions_with_a_new_heartbeat_time_and_the_same_transition_time()
    {
        var clock = new ManualClock(T0.AddMinutes(1));
        Writer(Settings(_server) with { Clock = clock, HeartbeatEvery = TimeSpan.FromMilliseconds(300) }).Tell(State("node-a", KernelReady(T0)));
        await Eventually.Holds(() => Assert.Equal("2026-11-27T09:01:00Z", OnServer("KernelReady")?["lastHeartbeatTime"]?.GetValue<string>()));

        clock.Advance(TimeSpan.FromMinutes(5));

        await Eventually.Holds(() => Assert.Equal("2026-11-27T09:06:00Z", OnServer("KernelReady")?["lastHeartbeatTime"]?.GetValue<string>()));
        Assert.Equal("2026-11-27T09:00:00Z", OnServer("KernelReady")!["lastTransitionTime"]!.GetValue<string>());
    }

    [Fact]
    public async Task Conflicts_throttling_and_server_errors_are_retried_with_backoff_honouring_Retry_After()
    {
        _server.Faults.Add(new Fault("PATCH", StatusPath, 409, Times: 1));
        _server.Faults.Add(new Fault("PATCH", StatusPath, 429, Times: 1, RetryAfter: TimeSpan.FromSeconds(1)));
        _server.Faults.Add(new Fault("PATCH", StatusPath, 500, Times: 1));

        Writer().Tell(State("node-a", KernelPanic(T0)));

        await Eventually.Holds(() => Assert.NotNull(OnServer("KernelReady")));
        // The server logs a request once it has answered, a moment after the Node changed.
        await Eventually.Holds(() => Assert.Equal([409, 429, 500, 200], _server.RequestsTo("PATCH", StatusPath).Select(p => p.Status)));
        var patches = _server.RequestsTo("PATCH", StatusPath);
        Assert.True(patches[2].At - patches[1].At >= TimeSpan.FromSeconds(1), $"retried {patches[2].At - patches[1].At} after a 429 with Retry-After: 1");
    }

    [Fact]
    public async Task A_slow_answer_past_the_request_timeout_is_retried()
    {
        _server.Faults.Add(new Fault("PATCH", StatusPath, 0, Times: 1, Delay: TimeSpan.FromSeconds(4)));

        // Long enough for a busy CI machine to answer the retry in time; the slow answer takes 4 s.
        Writer(Settings(_server, timeout: TimeSpan.FromMilliseconds(1500))).Tell(State("node-a", KernelPanic(T0)));

        await Eventually.Holds(() => Assert.Equal([499, 200], _server.RequestsTo("PATCH", StatusPath).Select(r => r.Status)));
    }

    [Fact]
    public async Task A_node_deleted_from_Kubernetes_stops_the_writing()
    {
        _server.Nodes.Delete("node-a");
        var writer = Writer();

        writer.Tell(State("node-a", KernelReady(T0)));
        await Eventually.Holds(() => Assert.Equal([404], _server.RequestsTo("GET", "/api/v1/nodes/node-a").Select(r => r.Status)));
        writer.Tell(State("node-a", KernelPanic(T0.AddMinutes(1))));

        await Eventually.Stays(() => Assert.Single(_server.Requests), TimeSpan.FromMilliseconds(300));
    }
}

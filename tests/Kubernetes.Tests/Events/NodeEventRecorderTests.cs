using Akka.Actor;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Coordinator.Kubernetes.Events;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;
using static NodeHealth.Kubernetes.Tests.Support.Writers;

namespace NodeHealth.Kubernetes.Tests.Events;

public sealed class NodeEventRecorderTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IActorRef Recorder(EventCorrelatorSettings? correlation = null) => Sys.ActorOf(NodeEventRecorder.Props("node-a",
        new EventRecorderSettings(Api(_server), "default", "node-health-coordinator-0", TimeProvider.System)
        {
            Correlation = correlation ?? EventCorrelatorSettings.ClientGo,
            TickEvery = TimeSpan.FromMilliseconds(50),
            Retry = new RetryPolicy(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100)),
        }));

    private static NodeHealthState Lockups(long count) => State("node-a", KernelReady(T0)) with
    {
        RecentEvents = [new NodeEvent(EventType.Warning, ConditionType.KernelReady, "SoftLockup", "SoftLockup: CPU#3 stuck for 23s!", T0, T0.AddSeconds(count), count)],
    };

    [Fact]
    public async Task A_warning_finding_is_recorded_regarding_the_Node_by_node_health()
    {
        var recorder = Recorder();
        recorder.Tell(State("node-a", KernelReady(T0)));

        recorder.Tell(Lockups(1));

        await Eventually.Holds(() => Assert.Single(_server.Events.All()));
        var e = _server.Events.All()[0];
        Assert.Equal(("Warning", "KernelReady", "SoftLockup: CPU#3 stuck for 23s!", "node-health", "node-health-coordinator-0", "Node", "node-a"),
            (e["type"]!.ToString(), e["reason"]!.ToString(), e["note"]!.ToString(), e["reportingController"]!.ToString(),
             e["reportingInstance"]!.ToString(), e["regarding"]!["kind"]!.ToString(), e["regarding"]!["name"]!.ToString()));
    }

    [Fact]
    public async Task Repeats_fold_into_one_event_whose_series_counts_them()
    {
        var recorder = Recorder(EventCorrelatorSettings.ClientGo with { FinishAfter = TimeSpan.FromMilliseconds(300) });
        recorder.Tell(State("node-a", KernelReady(T0)));

        for (var count = 1; count <= 6; count++)
            recorder.Tell(Lockups(count));

        await Eventually.Holds(() => Assert.Equal("6", Assert.Single(_server.Events.All())["series"]?["count"]?.ToString()));
        Assert.Single(_server.RequestsTo("POST", "/apis/events.k8s.io/v1/namespaces/default/events"));
    }

    [Fact]
    public async Task A_series_whose_event_expired_on_the_server_is_created_again()
    {
        var recorder = Recorder();
        recorder.Tell(State("node-a", KernelReady(T0)));
        recorder.Tell(Lockups(1));
        await Eventually.Holds(() => Assert.Single(_server.Events.All()));
        _server.Faults.Add(new Fault("PATCH", "*", 404, Times: 1));

        recorder.Tell(Lockups(2));

        await Eventually.Holds(() => Assert.Equal(2, _server.Events.All().Count));
        Assert.Equal("2", _server.Events.All().Single(e => e["series"] is not null)["series"]!["count"]!.ToString());
    }

    [Fact]
    public async Task A_failing_create_is_retried()
    {
        _server.Faults.Add(new Fault("POST", "/apis/events.k8s.io/v1/namespaces/default/events", 500, Times: 2));
        var recorder = Recorder();
        recorder.Tell(State("node-a", KernelReady(T0)));

        recorder.Tell(Lockups(1));

        await Eventually.Holds(() => Assert.Single(_server.Events.All()));
        Assert.Equal([500, 500, 201], _server.RequestsTo("POST", "/apis/events.k8s.io/v1/namespaces/default/events").Select(r => r.Status));
    }
}

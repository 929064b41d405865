using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Coordinator.Kubernetes.Events;
using NodeHealth.Coordinator.Kubernetes.Nodes;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;
using static NodeHealth.Kubernetes.Tests.Support.Writers;

namespace NodeHealth.Kubernetes.Tests.Nodes;

/// <summary>
/// The informer's facts reach the node's entity through the Kubernetes test server: the kubelet's bootID recovers a
/// rebooted node even while its agent is silent, and a deleted Node (watch or 404) stops the writing and is forgotten
/// after the history retention; re-created before that, it is written again.
/// </summary>
public sealed class NodeObjectFeedTests() : Akka.TestKit.Xunit2.TestKit(Config), IAsyncLifetime
{
    private const string Node = "node-a";
    private const string StatusPath = "/api/v1/nodes/node-a/status";
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly MonitorStatus KernelActive = new(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "Monitoring for the Kernel system is active");

    private static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    private TestApiServer _server = null!;
    private NodeInformer? _informer;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _server.Nodes.Put(NodeObjects.Kubelet(Node, "boot-a"));
    }

    public async Task DisposeAsync()
    {
        if (_informer is not null)
            await _informer.StopAsync(CancellationToken.None);
        await _server.DisposeAsync();
    }

    private IActorRef Entities(TimeSpan retention)
    {
        var exporter = new KubernetesNodeExporter(Settings(_server), new EventRecorderSettings(Api(_server), "default", "coordinator-0", TimeProvider.System));
        return Sys.ActorOf(Props.Create(() => new EntityHost(new NodeHealthSettings(CatalogLoader.LoadBuiltIn(), TimeProvider.System)
        {
            HistoryRetention = retention,
            Exporter = exporter,
        })));
    }

    private async Task Inform(IActorRef entities)
    {
        _informer = new NodeInformer(Api(_server), new NodeDirectory(), NullLogger<NodeInformer>.Instance)
        {
            Feed = new NodeEntityFeed(_ => Task.FromResult(entities)),
        };
        await _informer.StartAsync(CancellationToken.None);
    }

    /// <summary>The agent's hello (its host boot id, its monitors), then an uncorrectable memory error, which clears on reboot.</summary>
    private static async Task AgentReports(IActorRef entities, string hostBootId)
    {
        await entities.Ask<MonitorsAck>(new ReportMonitors(Node, [KernelActive]), AskTimeout);
        await entities.Ask<MonitorsAck>(new ReportHostBoot(Node, hostBootId), AskTimeout);
        await entities.Ask<Contracts.Wire.BatchAck>(new RecordFindings(Node, "agent-run-1",
        [
            new Finding(Node, ConditionType.KernelReady, "MemoryUncorrectableError", Severity.Fatal, "EDAC MC0: 1 UE on DIMM_A1", DateTime.UtcNow, "kmsg", null,
                "agent-run-1", 1, HostBootId: hostBootId),
        ]), AskTimeout);
    }

    private static async Task<object> Ask(IActorRef entities) => await entities.Ask<object>(new GetNodeHealth(Node), AskTimeout);

    private static async Task<NodeHealthState> State(IActorRef entities) => Assert.IsType<NodeHealthState>(await Ask(entities));

    private static (string?, string?) Deletion(NodeHealthState state) => (state.NodeObjectDeletion?.Uid, state.NodeObjectDeletion?.Cause);

    private string? KernelStatus() => NodeObjects.Condition(_server.Nodes.Get(Node), "KernelReady")?["status"]?.ToString();

    [Fact]
    public async Task A_kubelets_new_bootID_recovers_a_rebooted_node_whose_agent_is_silent_and_the_agents_hello_counts_it_once()
    {
        var entities = Entities(TimeSpan.FromDays(30));
        await AgentReports(entities, "boot-a");
        await Inform(entities);
        await Eventually.Holds(() => Assert.Equal("False", KernelStatus()));

        _server.Nodes.Update(Node, node =>
        {
            node["status"]!["nodeInfo"]!["bootID"] = "boot-b";
            return node;
        });

        await Eventually.Holds(() => Assert.Equal("True", KernelStatus()));
        var rebooted = await State(entities);
        Assert.Equal("boot-b", rebooted.HostBootId);
        await entities.Ask<MonitorsAck>(new ReportHostBoot(Node, "boot-b"), AskTimeout); // The agent comes back on the new boot.
        Assert.Single((await State(entities)).RecentEvents, e => e.Message.Contains("cleared: the node rebooted (boot id boot-a → boot-b, seen in its Node object)"));
        Assert.Equal(rebooted.LastUpdated, (await State(entities)).LastUpdated);
    }

    [Fact]
    public async Task A_deleted_Node_stops_the_writing_and_the_node_is_forgotten_after_the_retention()
    {
        var entities = Entities(TimeSpan.FromSeconds(2));
        await AgentReports(entities, "boot-a");
        await Inform(entities);
        await Eventually.Holds(() => Assert.Equal("False", KernelStatus()));
        var uid = _server.Nodes.Get(Node)!["metadata"]!["uid"]!.ToString();

        _server.Nodes.Delete(Node);

        await AwaitAssertAsync(async () => Assert.Equal((uid, "the node informer saw it deleted"), Deletion(await State(entities))), Patience);
        var requests = _server.Requests.Count(r => r.Path.StartsWith("/api/v1/nodes/", StringComparison.Ordinal));
        await entities.Ask<MonitorsAck>(new ReportMonitors(Node, [KernelActive with { Detail = "still watching" }]), AskTimeout);
        await Eventually.Stays(() => Assert.Equal(requests, _server.Requests.Count(r => r.Path.StartsWith("/api/v1/nodes/", StringComparison.Ordinal))),
            TimeSpan.FromMilliseconds(400));

        await AwaitAssertAsync(async () => Assert.IsType<NodeNotFound>(await Ask(entities)), Patience);
        Persistence.Instance.Apply(Sys).JournalFor(null).Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, NodeHealthEntity.PersistenceIdOf(Node), TestActor));
        Assert.IsType<NodeForgotten>(ExpectMsg<ReplayedMessage>().Persistent.Payload); // Only the tombstone is left.
        ExpectMsg<RecoverySuccess>();
    }

    [Fact]
    public async Task A_PATCH_answered_404_is_a_deletion_too()
    {
        var entities = Entities(TimeSpan.FromDays(30));
        await AgentReports(entities, "boot-a");
        await Eventually.Holds(() => Assert.Equal("False", KernelStatus()));
        var uid = _server.Nodes.Get(Node)!["metadata"]!["uid"]!.ToString();
        _server.Faults.Add(new Fault("PATCH", StatusPath, 404, Times: 1));

        await entities.Ask<Contracts.Wire.BatchAck>(new RecordFindings(Node, "agent-run-1",
        [
            new Finding(Node, ConditionType.KernelReady, "ForkFailedOutOfPIDs", Severity.Fatal, "fork/exec /usr/bin/runc: resource temporarily unavailable", DateTime.UtcNow, "journal-kubelet", null, "agent-run-1", 2),
        ]), AskTimeout);

        await AwaitAssertAsync(async () => Assert.Equal((uid, "Kubernetes answered 404 Not Found for it"), Deletion(await State(entities))), Patience);
    }

    [Fact]
    public async Task A_Node_re_created_before_the_forget_has_its_conditions_written_again()
    {
        var entities = Entities(TimeSpan.FromDays(30));
        await AgentReports(entities, "boot-a");
        await Inform(entities);
        await Eventually.Holds(() => Assert.Equal("False", KernelStatus()));
        _server.Nodes.Delete(Node);
        await AwaitAssertAsync(async () => Assert.NotNull((await State(entities)).NodeObjectDeletion), Patience);

        _server.Nodes.Put(NodeObjects.Kubelet(Node, "boot-a")); // The kubelet registers its Node again, on the same boot.

        await Eventually.Holds(() => Assert.Equal("False", KernelStatus()));
        var state = await State(entities);
        Assert.Null(state.NodeObjectDeletion);
        Assert.Equal(2, state.NodeObjectUids.Length);
    }
}

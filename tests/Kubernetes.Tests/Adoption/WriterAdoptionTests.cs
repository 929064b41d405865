using Akka.Actor;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Coordinator.Kubernetes.Conditions;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;
using static NodeHealth.Kubernetes.Tests.Support.Writers;

namespace NodeHealth.Kubernetes.Tests.Adoption;

public sealed class WriterAdoptionTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_Node_carrying_our_condition_False_is_adopted_not_healed()
    {
        var yesterday = "2026-11-26T09:00:00Z";
        var ours = NodeObjects.KubeletCondition("KernelReady", "False", "ForkFailedOutOfPIDs", "ForkFailedOutOfPIDs: the node ran out of process IDs");
        ours["lastTransitionTime"] = yesterday; // Written by an earlier deployment, or by EKS's agent.
        _server.Nodes.Put(NodeObjects.Kubelet("node-a", extraConditions: ours));
        var entity = NodeHealthState.Empty("node-a").Apply(new MonitorsReported("node-a", T0,
            [new MonitorStatus(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "Monitoring for the Kernel system is active")]));
        var writer = Sys.ActorOf(Props.Create(() => new ForwardingParent(NodeConditionWriter.Props("node-a", Settings(_server)), TestActor)));

        writer.Tell(entity);

        var adopt = ExpectMsg<AdoptConditions>();
        var carried = Assert.Single(adopt.Conditions);
        Assert.Equal((ConditionType.KernelReady, "ForkFailedOutOfPIDs", DateTime.Parse(yesterday).ToUniversalTime()), (carried.Condition, carried.Reason, carried.Since));
        Assert.Empty(_server.RequestsTo("PATCH", "/api/v1/nodes/node-a/status"));

        writer.Tell(entity.Apply(entity.Decide(adopt, CatalogLoader.LoadBuiltIn(), T0.AddMinutes(1))!));

        await Eventually.Stays(() => Assert.Empty(_server.RequestsTo("PATCH", "/api/v1/nodes/node-a/status")), TimeSpan.FromMilliseconds(300));
        var kernel = NodeObjects.Condition(_server.Nodes.Get("node-a"), "KernelReady")!;
        Assert.Equal(("False", yesterday), (kernel["status"]!.ToString(), kernel["lastTransitionTime"]!.ToString()));
    }
}

using NodeHealth.Actors.Fleet;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Tests.Fleet;

/// <summary>The fleet view lists a node from its first event until it is forgotten (its Node deleted past the history retention).</summary>
public sealed class FleetProjectionTests
{
    private static readonly DateTime T0 = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);
    private static readonly MonitorStatus KernelActive = new(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "watching");

    [Fact]
    public void A_deleted_node_is_listed_with_its_deletion_until_it_is_forgotten_and_again_when_an_agent_reports_for_it()
    {
        var nodes = new Dictionary<string, NodeHealthState>();
        FleetView.Project(nodes, new MonitorsReported("node-a", T0, [KernelActive]));
        FleetView.Project(nodes, new MonitorsReported("node-b", T0, [KernelActive]));
        FleetView.Project(nodes, new NodeObjectDeleted("node-a", T0.AddHours(1), "uid-a", T0.AddDays(30), "the node informer saw it deleted"));

        Assert.Equal(T0.AddHours(1), nodes["node-a"].NodeObjectDeletion?.At);

        FleetView.Project(nodes, new NodeForgotten("node-a", T0.AddDays(30)));
        Assert.Equal(["node-b"], nodes.Keys);

        FleetView.Project(nodes, new MonitorsReported("node-a", T0.AddDays(31), [KernelActive]));
        Assert.Equal((T0.AddDays(31), null), (nodes["node-a"].LastUpdated, nodes["node-a"].NodeObjectDeletion));
    }
}

using System.Collections.Immutable;
using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

/// <summary>The decision's input: our conditions from the fleet view, the kubelet's Ready and the labels from the Node object.</summary>
public sealed class FleetInputTests
{
    private static readonly RepairPolicy On = RepairPolicy.Default with { Mode = RepairMode.On };

    private sealed class Objects(NodeLabels? labels) : INodeLabelSource
    {
        public NodeLabels? Of(string node) => labels;
    }

    private static NodeSummary Agent(string name) =>
        new(name, [new ConditionState(ConditionType.KernelReady, ConditionStatus.True, "KernelIsReady", "", T0.AddDays(-1).UtcDateTime, [])], T0.UtcDateTime);

    private static NodeLabels Labels(ConditionSnapshot? ready) =>
        new(ImmutableDictionary<string, string>.Empty.Add("eks.amazonaws.com/nodegroup", "workers"), ImmutableDictionary<string, string>.Empty) { KubeletReady = ready };

    [Fact]
    public void A_node_whose_kubelet_is_not_ready_for_30_minutes_is_replaced_as_in_EKS()
    {
        var ready = new ConditionSnapshot(RepairConditions.KubeletReady, ConditionStatus.False, "KubeletNotReady", At(0));
        var fleet = FleetInput.From([Agent("node-1")], new Objects(Labels(ready)));

        var waiting = RepairDecider.Decide(On, Catalog, fleet, RepairLedger.Empty, At(29)).Decisions.Single();
        var due = RepairDecider.Decide(On, Catalog, fleet, RepairLedger.Empty, At(31)).Decisions.Single();

        Assert.Equal((RepairVerdict.Wait, "Ready", At(30)), (waiting.Verdict, waiting.Condition, waiting.NotBefore));
        Assert.Equal((RepairVerdict.Start, RepairAction.Replace, "KubeletNotReady"), (due.Verdict, due.Action, due.Reason));
        Assert.Equal("workers", due.Pool);
    }

    [Theory]
    [InlineData(ConditionStatus.True)]
    [InlineData(ConditionStatus.Unknown)] // Unknown never triggers repair (EKS).
    public void A_ready_or_unknown_kubelet_repairs_nothing(ConditionStatus status)
    {
        var fleet = FleetInput.From([Agent("node-1")], new Objects(Labels(new ConditionSnapshot(RepairConditions.KubeletReady, status, "", At(0)))));

        Assert.DoesNotContain(RepairDecider.Decide(On, Catalog, fleet, RepairLedger.Empty, At(60)).Decisions, d => d.Verdict == RepairVerdict.Start);
    }

    [Fact]
    public void Without_a_Node_object_only_our_conditions_count()
    {
        var node = Assert.Single(FleetInput.From([Agent("node-1")], new Objects(null)).Nodes);

        Assert.Equal(["KernelReady"], node.Conditions.Select(c => c.Type));
        Assert.Empty(node.Labels);
    }
}

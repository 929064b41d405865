using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;
using static NodeHealth.Kubernetes.Tests.Support.Writers;

namespace NodeHealth.Kubernetes.Tests.Adoption;

/// <summary>A coordinator meeting a Node that already carries our conditions False keeps them False instead of "healing" them.</summary>
public sealed class AdoptionTests
{
    private static readonly ReasonCatalog Catalog = CatalogLoader.LoadBuiltIn();
    private static readonly DateTime Yesterday = T0.AddDays(-1);

    private static NodeHealthState Monitored() =>
        NodeHealthState.Empty("node-a").Apply(new MonitorsReported("node-a", T0,
            [new MonitorStatus(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "Monitoring for the Kernel system is active")]));

    private static AdoptConditions Carrying(string reason, string message) =>
        new("node-a", [new AdoptedCondition(ConditionType.KernelReady, reason, message, Yesterday)]);

    [Fact]
    public void A_condition_the_Node_carries_False_is_adopted_with_its_reason_message_and_transition_time()
    {
        var state = Monitored();

        var adopted = state.Decide(Carrying("ForkFailedOutOfPIDs", "ForkFailedOutOfPIDs: the node ran out of process IDs"), Catalog, T0.AddMinutes(1))!;
        var after = state.Apply(adopted);

        var kernel = after.Conditions.Single(c => c.Type == ConditionType.KernelReady);
        Assert.Equal((ConditionStatus.False, "ForkFailedOutOfPIDs", "ForkFailedOutOfPIDs: the node ran out of process IDs", Yesterday),
            (kernel.Status, kernel.Reason, kernel.Message, kernel.LastTransitionTime));
        var fault = Assert.Single(kernel.ActiveFaults);
        Assert.Equal((RecoveryMode.Quiet, TimeSpan.FromMinutes(15), RepairAction.Replace, T0.AddMinutes(1)), (fault.Recovery, fault.QuietFor, fault.Repair, fault.LastSeen));
    }

    [Fact]
    public void A_reason_the_catalog_does_not_know_is_adopted_to_be_cleared_by_an_operator()
    {
        var adopted = Monitored().Decide(Carrying("VendorSaysBroken", "VendorSaysBroken: see the vendor's console"), Catalog, T0)!;

        Assert.Equal(RecoveryMode.Manual, Assert.Single(adopted.Conditions).Recovery);
    }

    [Fact]
    public void Adoption_happens_once_per_node()
    {
        var state = Monitored();
        state = state.Apply(state.Decide(new AdoptConditions("node-a", []), Catalog, T0)!);

        Assert.True(state.NodeObjectRead);
        Assert.Null(state.Decide(Carrying("ForkFailedOutOfPIDs", "late"), Catalog, T0.AddMinutes(5)));
    }

    [Fact]
    public void A_fault_the_entity_already_holds_is_not_replaced_by_what_the_Node_carried()
    {
        var state = Monitored().Apply(new FindingsRecorded("node-a", T0, "agent-1",
            [new Finding("node-a", ConditionType.KernelReady, "ForkFailedOutOfPIDs", Severity.Fatal, "fork failed", T0, "journal-kubelet", null, "agent-1", 1)]));

        var adopted = state.Decide(Carrying("VendorSaysBroken", "old"), Catalog, T0.AddMinutes(1))!;

        Assert.Empty(adopted.Conditions);
        Assert.Equal("ForkFailedOutOfPIDs", state.Apply(adopted).Conditions.Single(c => c.Type == ConditionType.KernelReady).Reason);
    }
}

using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

public sealed class RepairTriggerTests
{
    private static Fault Only(RepairPolicy policy, params ConditionSnapshot[] conditions) =>
        Assert.Single(RepairTriggers.Faults(policy, Catalog, Node("n1", "workers", "a", conditions)));

    [Theory]
    [InlineData("AcceleratedHardwareReady", "NvidiaXID79Error", 10, RepairAction.Replace)]
    [InlineData("AcceleratedHardwareReady", "NvidiaXID48Error", 10, RepairAction.Reboot)]
    [InlineData("AcceleratedHardwareReady", "NvidiaXID63Error", 10, RepairAction.Reboot)]
    [InlineData("AcceleratedHardwareReady", "NvidiaDeviceCountMismatch", 10, RepairAction.None)]
    [InlineData("KernelReady", "ForkFailedOutOfPIDs", 30, RepairAction.Replace)]
    [InlineData("StorageReady", "FilesystemReadOnly", 30, RepairAction.Replace)]
    [InlineData("NetworkingReady", "InterfaceNotUp", 30, RepairAction.Replace)]
    [InlineData("ContainerRuntimeReady", "ContainerRuntimeNotReady", 30, RepairAction.Replace)]
    [InlineData("Ready", "KubeletNotReady", 30, RepairAction.Replace)]
    public void Defaults_are_EKS_waits_with_the_catalogs_action_per_reason(string condition, string reason, int waitMinutes, RepairAction action)
    {
        var fault = Only(RepairPolicy.Default, False(condition, reason, T0));

        Assert.Equal((TimeSpan.FromMinutes(waitMinutes), action), (fault.Wait, fault.Action));
        Assert.Equal(At(waitMinutes), fault.DueAt);
    }

    [Theory]
    [InlineData("DiskPressure")]
    [InlineData("MemoryPressure")]
    [InlineData("PIDPressure")]
    [InlineData("NetworkUnavailable")]
    public void Kubelet_pressures_and_other_conditions_never_trigger_repair(string condition)
    {
        var node = Node("n1", "workers", "a", new ConditionSnapshot(condition, ConditionStatus.False, "X", T0), new ConditionSnapshot(condition, ConditionStatus.True, "X", T0));

        Assert.Empty(RepairTriggers.Faults(RepairPolicy.Default, Catalog, node));
        Assert.False(RepairTriggers.IsUnhealthy(RepairPolicy.Default, node));
    }

    [Fact]
    public void Unknown_never_triggers_repair_but_counts_as_unhealthy()
    {
        var node = Node("n1", "workers", "a", Unknown("Ready", T0));

        var fault = Assert.Single(RepairTriggers.Faults(RepairPolicy.Default, Catalog, node));
        Assert.Equal(RepairAction.None, fault.Action);
        Assert.True(RepairTriggers.IsUnhealthy(RepairPolicy.Default, node));
    }

    [Fact]
    public void A_reason_the_catalog_does_not_define_repairs_nothing_and_says_why()
    {
        var fault = Only(RepairPolicy.Default, False("KernelReady", "SomethingNew", T0));

        Assert.Equal(RepairAction.None, fault.Action);
        Assert.Contains("the catalog does not define KernelReady/SomethingNew", fault.ActionClause.Text);
    }

    [Fact]
    public void The_wait_runs_from_lastTransitionTime_whatever_the_reason_is_now()
    {
        // The condition went False at T0 with one reason; 25 minutes later it shows another: still due at T0 + 30m.
        var fault = Only(RepairPolicy.Default, False("NetworkingReady", "InterfaceNotRunning", T0));

        Assert.Equal(At(30), fault.DueAt);
        Assert.False(fault.IsDue(At(29)));
        Assert.True(fault.IsDue(At(30)));
    }

    [Fact]
    public void Every_active_reason_is_a_finding_with_its_own_action()
    {
        var condition = False("AcceleratedHardwareReady", "NvidiaXID48Error", T0) with { ActiveReasons = ["NvidiaXID48Error", "NvidiaXID79Error"] };

        var faults = RepairTriggers.Faults(RepairPolicy.Default, Catalog, Node("n1", "workers", "a", condition));

        Assert.Equal([RepairAction.Reboot, RepairAction.Replace], faults.Select(f => f.Action));
    }

    [Theory]
    [InlineData("{ condition: AcceleratedHardwareReady, reason: NvidiaXID48Error, wait: 5m, action: Replace }", 5, RepairAction.Replace, "ops.yaml line 2")]
    [InlineData("{ condition: AcceleratedHardwareReady, reason: NvidiaXID48Error, wait: 0s }", 0, RepairAction.Reboot, "ops.yaml line 2")]
    [InlineData("{ condition: AcceleratedHardwareReady, wait: 20m }", 20, RepairAction.Reboot, "ops.yaml line 2")]
    [InlineData("{ condition: AcceleratedHardwareReady, action: None }", 10, RepairAction.None, "ops.yaml line 2")]
    public void Overrides_change_the_wait_or_action_of_a_condition_or_one_reason(string entry, int waitMinutes, RepairAction action, string origin)
    {
        var policy = RepairPolicyLoader.Parse("ops.yaml", $"overrides:\n  - {entry}\n", Catalog);

        var fault = Only(policy, False("AcceleratedHardwareReady", "NvidiaXID48Error", T0));

        Assert.Equal((TimeSpan.FromMinutes(waitMinutes), action), (fault.Wait, fault.Action));
        Assert.Contains(origin, $"{fault.WaitClause} {fault.ActionClause}");
    }

    [Fact]
    public void A_reason_override_beats_its_conditions_override_and_leaves_other_reasons_to_the_condition()
    {
        var policy = RepairPolicyLoader.Parse("ops.yaml", """
            overrides:
              - { condition: AcceleratedHardwareReady, wait: 20m, action: Replace }
              - { condition: AcceleratedHardwareReady, reason: NvidiaXID48Error, action: Reboot }
            """, Catalog);

        var xid48 = Only(policy, False("AcceleratedHardwareReady", "NvidiaXID48Error", T0));
        var xid63 = Only(policy, False("AcceleratedHardwareReady", "NvidiaXID63Error", T0));

        Assert.Equal((TimeSpan.FromMinutes(20), RepairAction.Reboot), (xid48.Wait, xid48.Action));
        Assert.Equal((TimeSpan.FromMinutes(20), RepairAction.Replace), (xid63.Wait, xid63.Action));
    }
}

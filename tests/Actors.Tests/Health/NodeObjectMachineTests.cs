using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Tests.Health;

/// <summary>
/// Issue 8, "Reading from Kubernetes": the Node object's bootID is a second source for reboot recovery (the kubelet and
/// the agent both read /proc/sys/kernel/random/boot_id), and a deleted Node stops the writing and is forgotten after the
/// history retention. Every coordinator's informer sends the same facts, in any order against the agent's reports.
/// </summary>
public sealed class NodeObjectMachineTests
{
    private const string Node = "ip-10-0-1-17.ec2.internal";
    private const string BootA = "0f5a3c1e-8d2b-4e7f-9a61-3b2c4d5e6f70";
    private const string BootB = "7c9e2d41-1a3b-4c5d-8e6f-a1b2c3d4e5f6";
    private const string Uid1 = "5b1f4d2a-6c3e-4f80-9a7b-0c1d2e3f4a5b";
    private const string Uid2 = "e2d3c4b5-a697-4881-b7c6-d5e4f3a2b1c0";
    private static readonly DateTime T0 = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);
    private static readonly MonitorStatus KernelActive = new(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "watching");

    private static NodeHealthState Apply(NodeHealthState state, IEnumerable<INodeHealthEvent> events) => events.Aggregate(state, (s, e) => s.Apply(e));

    private static Finding Fatal(long sequence, string reason, RecoveryMode recovery) =>
        new(Node, ConditionType.KernelReady, reason, Severity.Fatal, $"{reason} {sequence}", T0, "kmsg", null, "run-1", sequence, recovery, BootA);

    /// <summary>A node whose agent said boot A, whose Node (uid 1) the informer saw, holding a reboot-cleared and a manual fault.</summary>
    private static NodeHealthState Faulted()
    {
        var state = NodeHealthState.Empty(Node);
        state = state.Apply(state.Decide(new ReportMonitors(Node, [KernelActive]), T0)!);
        state = Apply(state, state.Decide(new ReportHostBoot(Node, BootA), T0));
        state = Apply(state, state.Decide(new ObserveNodeObject(Node, Uid1, BootA), T0));
        return state.Apply(state.Decide(new RecordFindings(Node, "run-1",
            [Fatal(1, "GpuFellOff", RecoveryMode.Reboot), Fatal(2, "DiskDead", RecoveryMode.Manual)]), TestReasons.Catalog, T0.AddMinutes(1)).Event!);
    }

    private static string[] Faults(NodeHealthState state) =>
        [.. state.Conditions.Single(c => c.Type == ConditionType.KernelReady).ActiveFaults.Select(f => f.Reason)];

    private static NodeHealthState Deleted(NodeHealthState state, DateTime at, string uid = Uid1) =>
        state.Apply(state.Decide(new ReportNodeDeleted(Node, uid, NodeHealthMachine.DeletedByInformer), at, Retention)!);

    [Fact]
    public void A_new_bootID_in_the_Node_clears_the_faults_that_clear_on_reboot_as_the_agents_hello_would()
    {
        var events = Faulted().Decide(new ObserveNodeObject(Node, Uid1, BootB), T0.AddMinutes(30));

        var cleared = Assert.IsType<FaultsCleared>(events[1]);
        Assert.Equal("the node rebooted (boot id " + BootA + " → " + BootB + ", seen in its Node object)", cleared.Cause);
        var state = Apply(Faulted(), events);
        Assert.Equal(BootB, state.HostBootId);
        Assert.Equal(["DiskDead"], Faults(state));
        Assert.Equal([BootA], state.EarlierHostBootIds.ToArray());
    }

    [Fact]
    public void One_reboot_seen_by_the_informer_and_then_by_the_agent_is_counted_once()
    {
        var state = Apply(Faulted(), Faulted().Decide(new ObserveNodeObject(Node, Uid1, BootB), T0.AddMinutes(30)));

        Assert.Empty(state.Decide(new ReportHostBoot(Node, BootB), T0.AddMinutes(31)));
        Assert.Empty(state.Decide(new ObserveNodeObject(Node, Uid1, BootB), T0.AddMinutes(31))); // Another coordinator's informer.
    }

    [Fact]
    public void One_reboot_seen_by_the_agent_and_then_by_the_informer_is_counted_once()
    {
        var state = Apply(Faulted(), Faulted().Decide(new ReportHostBoot(Node, BootB), T0.AddMinutes(30)));

        Assert.Empty(state.Decide(new ObserveNodeObject(Node, Uid1, BootB), T0.AddMinutes(31)));
    }

    [Fact]
    public void A_late_informer_event_with_the_previous_bootID_never_undoes_the_agents_newer_report()
    {
        var state = Apply(Faulted(), Faulted().Decide(new ReportHostBoot(Node, BootB), T0.AddMinutes(30)));
        state = state.Apply(state.Decide(new RecordFindings(Node, "run-2",
            [Fatal(1, "GpuFellOff", RecoveryMode.Reboot) with { HostBootId = BootB, AgentBootId = "run-2" }]), TestReasons.Catalog, T0.AddMinutes(32)).Event!);

        Assert.Empty(state.Decide(new ObserveNodeObject(Node, Uid1, BootA), T0.AddMinutes(33)));
        Assert.Empty(state.Decide(new ReportHostBoot(Node, BootA), T0.AddMinutes(33)));
        Assert.Contains("GpuFellOff", Faults(state));
    }

    [Fact]
    public void The_Node_of_a_node_no_agent_reported_for_records_nothing()
    {
        var never = NodeHealthState.Empty(Node);

        Assert.Empty(never.Decide(new ObserveNodeObject(Node, Uid1, BootA), T0));
        Assert.Null(never.Decide(new ReportNodeDeleted(Node, Uid1, NodeHealthMachine.DeletedByInformer), T0, Retention));
    }

    [Fact]
    public void A_deletion_is_recorded_once_with_its_forget_time_whoever_reports_it()
    {
        var at = T0.AddHours(2);
        var deleted = Faulted().Decide(new ReportNodeDeleted(Node, Uid1, NodeHealthMachine.DeletedByInformer), at, Retention)!;

        Assert.Equal((Uid1, at + Retention), (deleted.Uid, deleted.ForgetAt));
        var state = Faulted().Apply(deleted);
        Assert.Equal(new NodeObjectDeletion(at, Uid1, at + Retention, "the node informer saw it deleted"), state.NodeObjectDeletion);
        Assert.Null(state.Decide(new ReportNodeDeleted(Node, Uid1, NodeHealthMachine.DeletedByInformer), at.AddSeconds(1), Retention));
        Assert.Null(state.Decide(new ReportNodeDeleted(Node, "", NodeHealthMachine.DeletedByNotFound), at.AddSeconds(2), Retention));
        Assert.Equal(["DiskDead", "GpuFellOff"], Faults(state).Order()); // History, not recovery: the faults stay on record.
    }

    [Fact]
    public void A_404_names_the_Node_the_entity_knows_when_the_writer_had_not_read_one()
    {
        var deleted = Faulted().Decide(new ReportNodeDeleted(Node, "", NodeHealthMachine.DeletedByNotFound), T0.AddHours(1), Retention)!;

        Assert.Equal((Uid1, "Kubernetes answered 404 Not Found for it"), (deleted.Uid, deleted.Cause));
    }

    [Fact]
    public void A_late_event_of_the_deleted_Node_does_not_bring_it_back()
    {
        var state = Deleted(Faulted(), T0.AddHours(2));

        Assert.Empty(state.Decide(new ObserveNodeObject(Node, Uid1, BootA), T0.AddHours(3)));
        Assert.Empty(state.Decide(new ObserveNodeObject(Node, Uid1, BootB), T0.AddHours(3))); // Nor reboots it.
    }

    [Fact]
    public void A_Node_re_created_on_the_same_boot_keeps_the_faults_and_has_its_conditions_written_again()
    {
        var state = Deleted(Faulted() with { NodeObjectRead = true }, T0.AddHours(2));

        var events = state.Decide(new ObserveNodeObject(Node, Uid2, BootA), T0.AddHours(3));
        state = Apply(state, events);

        Assert.Equal([typeof(NodeObjectObserved)], events.Select(e => e.GetType()));
        Assert.Null(state.NodeObjectDeletion);
        Assert.False(state.NodeObjectRead); // The writer reads the new Node (and adopts) before it writes.
        Assert.Equal(["DiskDead", "GpuFellOff"], Faults(state).Order());
        Assert.Equal([Uid1, Uid2], state.NodeObjectUids.ToArray());
    }

    [Fact]
    public void A_Node_re_created_on_another_boot_is_a_new_machine_or_boot_and_starts_without_the_old_faults()
    {
        var state = Deleted(Faulted(), T0.AddHours(2));

        var events = state.Decide(new ObserveNodeObject(Node, Uid2, BootB), T0.AddHours(3));
        state = Apply(state, events);

        var cleared = Assert.IsType<FaultsCleared>(events[2]);
        Assert.StartsWith($"the Node object was re-created (uid {Uid2}) on another boot", cleared.Cause);
        Assert.Empty(Faults(state));
        Assert.Equal((BootB, ConditionStatus.True), (state.HostBootId, state.Conditions.Single(c => c.Type == ConditionType.KernelReady).Status));
        Assert.NotEmpty(state.RecentFindings); // The findings and events of the old one stay as history.
    }

    [Fact]
    public void A_Node_replaced_while_no_informer_saw_the_deletion_is_re_created_all_the_same()
    {
        var events = Faulted().Decide(new ObserveNodeObject(Node, Uid2, BootB), T0.AddHours(3));

        Assert.Equal([typeof(NodeObjectObserved), typeof(HostBootRecorded), typeof(FaultsCleared)], events.Select(e => e.GetType()));
    }

    [Fact]
    public void The_deletion_of_a_Node_already_replaced_is_old_news()
    {
        var state = Apply(Faulted(), Faulted().Decide(new ObserveNodeObject(Node, Uid2, BootA), T0.AddHours(3)));

        Assert.Null(state.Decide(new ReportNodeDeleted(Node, Uid1, NodeHealthMachine.DeletedByInformer), T0.AddHours(4), Retention));
        Assert.Empty(state.Decide(new ObserveNodeObject(Node, Uid1, BootA), T0.AddHours(4)));
    }

    [Fact]
    public void A_deleted_node_is_forgotten_once_the_retention_has_passed_and_then_starts_over_empty()
    {
        var deletedAt = T0.AddHours(2);
        var state = Deleted(Faulted(), deletedAt);

        Assert.Null(state.DecideForget(deletedAt + Retention - TimeSpan.FromSeconds(1)));
        var forgotten = state.DecideForget(deletedAt + Retention)!;
        var after = state.Apply(forgotten);

        Assert.False(after.IsKnown);
        Assert.Equal(NodeHealthState.Empty(Node), after);
        Assert.Null(Faulted().DecideForget(deletedAt + Retention * 2)); // Never deleted: never forgotten.
    }

    [Fact]
    public void An_agent_reporting_after_the_forget_starts_a_fresh_node()
    {
        var state = Deleted(Faulted(), T0.AddHours(2));
        state = state.Apply(state.DecideForget(T0.AddHours(2) + Retention)!);

        state = state.Apply(state.Decide(new ReportMonitors(Node, [KernelActive]), T0.AddDays(40))!);
        state = Apply(state, state.Decide(new ReportHostBoot(Node, BootA), T0.AddDays(40))); // Even a boot id of the forgotten node is new.

        Assert.Equal((BootA, 0, 0), (state.HostBootId, state.RecentFindings.Length, Faults(state).Length));
        Assert.Null(state.NodeObjectDeletion);
    }
}

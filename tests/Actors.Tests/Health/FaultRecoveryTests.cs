using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Tests.Health;

/// <summary>DESIGN §5: every fatal reason has a way back — a reboot, or an operator.</summary>
public sealed class FaultRecoveryTests
{
    private const string Node = "node-a";
    private const string BootA = "boot-a";
    private const string BootB = "boot-b";
    private static readonly DateTime T0 = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
    private static readonly MonitorStatus KernelActive = new(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "watching");

    private static readonly TimeSpan QuietFor = TestReasons.QuietFor;

    private static Finding Fatal(long sequence, string reason, RecoveryMode recovery, string hostBoot = BootA) =>
        new(Node, ConditionType.KernelReady, reason, Severity.Fatal, $"{reason} {sequence}", T0, "kmsg", null, "run-1", sequence, recovery, hostBoot,
            recovery == RecoveryMode.Quiet ? QuietFor : TimeSpan.Zero);

    private static NodeHealthState Apply(NodeHealthState state, IEnumerable<INodeHealthEvent> events) => events.Aggregate(state, (s, e) => s.Apply(e));

    private static NodeHealthState Booted(NodeHealthState state, string bootId, DateTime at) =>
        Apply(state, state.Decide(new ReportHostBoot(Node, bootId), at));

    private static NodeHealthState Record(NodeHealthState state, DateTime at, params Finding[] findings) =>
        state.Apply(state.Decide(new RecordFindings(Node, "run-1", [.. findings]), TestReasons.Catalog, at).Event!);

    /// <summary>A monitored node on boot A with a reboot-cleared and a manually cleared fault on KernelReady.</summary>
    private static NodeHealthState Faulted()
    {
        var state = NodeHealthState.Empty(Node);
        state = state.Apply(state.Decide(new ReportMonitors(Node, [KernelActive]), T0)!);
        state = Booted(state, BootA, T0);
        return Record(state, T0.AddMinutes(1), Fatal(1, "GpuFellOff", RecoveryMode.Reboot), Fatal(2, "DiskDead", RecoveryMode.Manual));
    }

    private static ConditionState Kernel(NodeHealthState state) => state.Conditions.Single(c => c.Type == ConditionType.KernelReady);

    private static string[] FaultReasons(NodeHealthState state) => [.. Kernel(state).ActiveFaults.Select(f => f.Reason)];

    [Fact]
    public void A_new_boot_id_clears_the_faults_that_clear_on_reboot_and_only_those()
    {
        var rebootAt = T0.AddMinutes(30);
        var events = Faulted().Decide(new ReportHostBoot(Node, BootB), rebootAt);

        var cleared = Assert.IsType<FaultsCleared>(events[1]);
        Assert.Equal([new ClearedFault(ConditionType.KernelReady, "GpuFellOff")], cleared.Faults.ToArray());
        Assert.Equal("the node rebooted (boot id boot-a → boot-b)", cleared.Cause);

        var state = Apply(Faulted(), events);
        Assert.Equal(["DiskDead"], FaultReasons(state));
        Assert.Equal((ConditionStatus.False, "DiskDead"), (Kernel(state).Status, Kernel(state).Reason));
        Assert.Equal(BootB, state.HostBootId);
        var normal = state.RecentEvents[^1];
        Assert.Equal((EventType.Normal, "GpuFellOff", "GpuFellOff cleared: the node rebooted (boot id boot-a → boot-b)", rebootAt),
            (normal.Type, normal.Reason, normal.Message, normal.FirstTimestamp));
    }

    [Fact]
    public void Same_boot_id_again_records_nothing()
    {
        Assert.Empty(Faulted().Decide(new ReportHostBoot(Node, BootA), T0.AddMinutes(5)));
    }

    [Fact]
    public void First_boot_id_ever_seen_is_recorded_without_clearing_anything()
    {
        var state = Record(NodeHealthState.Empty(Node), T0, Fatal(1, "GpuFellOff", RecoveryMode.Reboot, hostBoot: ""));

        var events = state.Decide(new ReportHostBoot(Node, BootA), T0.AddMinutes(1));

        Assert.IsType<HostBootRecorded>(Assert.Single(events));
        Assert.Equal(["GpuFellOff"], FaultReasons(Apply(state, events)));
    }

    [Fact]
    public void Unreadable_boot_id_changes_nothing()
    {
        Assert.Empty(Faulted().Decide(new ReportHostBoot(Node, ""), T0.AddMinutes(5)));
    }

    [Fact]
    public void Reboot_fault_resent_from_before_the_reboot_is_history_not_a_new_fault()
    {
        var rebooted = Booted(Faulted(), BootB, T0.AddMinutes(30));

        var state = Record(rebooted, T0.AddMinutes(31), Fatal(3, "GpuFellOff", RecoveryMode.Reboot, hostBoot: BootA));

        Assert.Equal(["DiskDead"], FaultReasons(state));
        Assert.Contains(state.RecentFindings, f => f.Sequence == 3);
        Assert.Equal(["DiskDead", "GpuFellOff"], FaultReasons(Record(state, T0.AddMinutes(32), Fatal(4, "GpuFellOff", RecoveryMode.Reboot, hostBoot: BootB))).Order());
    }

    [Fact]
    public void Operator_clears_one_fault_and_the_condition_turns_true_when_none_is_left()
    {
        var state = Faulted();
        foreach (var reason in new[] { "DiskDead", "GpuFellOff" })
        {
            var cleared = state.Decide(new ClearFault(Node, ConditionType.KernelReady, reason, "replaced the part"), T0.AddHours(1))!;
            Assert.Equal("cleared by an operator: replaced the part", cleared.Cause);
            state = state.Apply(cleared);
        }

        Assert.Equal((ConditionStatus.True, "KernelIsReady", T0.AddHours(1)), (Kernel(state).Status, Kernel(state).Reason, Kernel(state).LastTransitionTime));
        Assert.Empty(Kernel(state).ActiveFaults);
    }

    [Fact]
    public void Clearing_a_fault_that_is_not_active_decides_nothing()
    {
        Assert.Null(Faulted().Decide(new ClearFault(Node, ConditionType.KernelReady, "NeverHappened", ""), T0));
        Assert.Null(Faulted().Decide(new ClearFault(Node, ConditionType.StorageReady, "DiskDead", ""), T0));
    }

    [Fact]
    public void A_verified_repair_clears_every_fault_of_its_condition_active_since_before_it_started_under_its_cause()
    {
        var storage = new MonitorStatus(ConditionType.StorageReady, MonitorState.Active, "StorageIsReady", "watching");
        var state = Faulted();
        state = state.Apply(state.Decide(new ReportMonitors(Node, [KernelActive, storage]), T0.AddMinutes(2))!);
        state = Record(state, T0.AddMinutes(2), Fatal(3, "FilesystemReadOnly", RecoveryMode.Probe) with { Condition = ConditionType.StorageReady });
        var repairStarted = T0.AddMinutes(30);
        state = Record(state, T0.AddMinutes(40), Fatal(4, "KernelPanic", RecoveryMode.Manual)); // Raised after the repair started: not what it was for.

        var cleared = state.Decide(new ClearFault(Node, ConditionType.KernelReady, "", "", "repaired by replace node-a-20261125T123000Z", repairStarted), T0.AddHours(1))!;

        Assert.Equal("repaired by replace node-a-20261125T123000Z", cleared.Cause);
        Assert.Equal([new(ConditionType.KernelReady, "GpuFellOff"), new ClearedFault(ConditionType.KernelReady, "DiskDead")], cleared.Faults.ToArray());
        state = state.Apply(cleared);
        Assert.Equal(["KernelPanic"], FaultReasons(state));
        Assert.Equal(ConditionStatus.False, state.Conditions.Single(c => c.Type == ConditionType.StorageReady).Status); // Not the repaired condition.
        Assert.Contains(state.RecentEvents, e => e.Message == "DiskDead cleared: repaired by replace node-a-20261125T123000Z");
        Assert.Null(state.Decide(new ClearFault(Node, ConditionType.KernelReady, "", "", "repaired by replace node-a-20261125T123000Z", repairStarted), T0.AddHours(2)));
    }

    [Fact]
    public void A_repairs_clear_after_the_new_boot_cleared_everything_decides_nothing()
    {
        var state = NodeHealthState.Empty(Node);
        state = Booted(state.Apply(state.Decide(new ReportMonitors(Node, [KernelActive]), T0)!), BootA, T0);
        var rebooted = Booted(Record(state, T0.AddMinutes(1), Fatal(1, "GpuFellOff", RecoveryMode.Reboot)), BootB, T0.AddMinutes(30));
        Assert.Equal((ConditionStatus.True, T0.AddMinutes(30)), (Kernel(rebooted).Status, Kernel(rebooted).LastTransitionTime));

        Assert.Null(rebooted.Decide(new ClearFault(Node, ConditionType.KernelReady, "", "", "repaired by reboot node-a-20261125T120500Z", T0.AddMinutes(5)), T0.AddMinutes(31)));
        Assert.Null(Faulted().Decide(new ClearFault(Node, ConditionType.KernelReady, "", "replaced"), T0)); // An operator names the fault.
    }

    [Fact]
    public void The_coordinators_catalog_decides_what_a_reason_means_whatever_the_finding_claims()
    {
        var claimed = Fatal(3, "DiskDead", RecoveryMode.Reboot) with { Severity = Severity.Warning };

        var state = Record(Faulted(), T0.AddMinutes(2), claimed);

        var fault = Kernel(state).ActiveFaults.Single(f => f.Reason == "DiskDead");
        Assert.Equal((RecoveryMode.Manual, RepairAction.Replace, 2L), (fault.Recovery, fault.Repair, fault.Count));
        Assert.Equal(Severity.Fatal, state.RecentFindings[^1].Severity);
    }

    [Fact]
    public void A_read_only_filesystem_holds_storage_ready_only_when_the_agent_found_it_on_a_critical_directory()
    {
        Finding ReadOnly(long sequence, Severity severity, string device) =>
            new(Node, ConditionType.StorageReady, "FilesystemReadOnly", severity, $"{device} is read-only", T0, "probe-mounts", device, "run-1", sequence);
        var state = Faulted();

        var afterData = Record(state, T0.AddMinutes(2), ReadOnly(3, Severity.Warning, "nvme2n1"));
        var afterRoot = Record(afterData, T0.AddMinutes(3), ReadOnly(4, Severity.Fatal, "nvme0n1p1"));

        Assert.Equal(Severity.Warning, afterData.RecentFindings[^1].Severity);
        Assert.DoesNotContain(afterData.Conditions, c => c.Type == ConditionType.StorageReady && !c.ActiveFaults.IsDefaultOrEmpty);
        Assert.Equal(Severity.Fatal, afterRoot.RecentFindings[^1].Severity);
        Assert.Contains(afterRoot.Conditions, c => c.Type == ConditionType.StorageReady && c.ActiveFaults.Any(f => f.Reason == "FilesystemReadOnly"));
    }

    [Fact]
    public void A_reason_the_coordinator_does_not_know_is_a_warning_that_says_so_and_holds_nothing()
    {
        var state = Record(Faulted(), T0.AddMinutes(2), Fatal(3, "SomethingNew", RecoveryMode.Manual));

        Assert.DoesNotContain("SomethingNew", FaultReasons(state));
        var warning = state.RecentEvents[^1];
        Assert.Equal((EventType.Warning, "SomethingNew"), (warning.Type, warning.Reason));
        Assert.Equal("SomethingNew: SomethingNew 3" + ReasonAuthority.UnknownReasonNote, warning.Message);
    }

    [Fact]
    public void Quiet_fault_clears_once_its_reason_has_not_recurred_for_the_quiet_period()
    {
        var firstSeen = T0.AddMinutes(1);
        var state = Record(Faulted(), firstSeen, Fatal(3, "LinkFlapping", RecoveryMode.Quiet));
        Assert.Equal(firstSeen + QuietFor, state.NextQuietDeadline());

        var recurred = firstSeen.AddMinutes(20);
        state = Record(state, recurred, Fatal(4, "LinkFlapping", RecoveryMode.Quiet));
        Assert.Equal(recurred + QuietFor, state.NextQuietDeadline());
        Assert.Empty(state.DecideQuiet(firstSeen + QuietFor)); // The recurrence restarted the quiet period.

        var cleared = Assert.Single(state.DecideQuiet(recurred + QuietFor));
        Assert.Equal([new ClearedFault(ConditionType.KernelReady, "LinkFlapping")], cleared.Faults.ToArray());
        Assert.Equal("no recurrence for 00:30:00 since 2026-11-25T12:21:00Z", cleared.Cause);
        state = state.Apply(cleared);
        Assert.DoesNotContain("LinkFlapping", FaultReasons(state));
        Assert.Null(state.NextQuietDeadline());
    }

    [Fact]
    public void Quiet_fault_does_not_clear_while_the_agent_is_silent_and_counts_its_quiet_period_from_the_return()
    {
        var state = Record(Faulted(), T0, Fatal(3, "LinkFlapping", RecoveryMode.Quiet));
        state = state.Apply(state.DecideLease(T0, TimeSpan.FromSeconds(40), T0.AddMinutes(1))!);

        Assert.Empty(state.DecideQuiet(T0.AddHours(2)));
        Assert.Null(state.NextQuietDeadline()); // Nothing to wake up for: the return reschedules.

        var back = T0.AddHours(2);
        state = state.Apply(state.DecideAgentHeard(back)!);
        Assert.Equal(back + QuietFor, state.NextQuietDeadline());
        Assert.Empty(state.DecideQuiet(back.AddMinutes(29)));
        Assert.Single(state.DecideQuiet(back + QuietFor));
    }
}

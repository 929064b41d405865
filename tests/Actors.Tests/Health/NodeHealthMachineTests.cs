using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Tests.Health;

public sealed class NodeHealthMachineTests
{
    private const string Node = "node-a";
    private static readonly DateTime T0 = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
    private static readonly MonitorStatus KernelActive = new(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "watching");

    private static Finding Finding(long sequence, string reason = "SoftLockup", Severity severity = Severity.Warning, string boot = "run-1", string? message = null) =>
        new(Node, ConditionType.KernelReady, reason, severity, message ?? $"message {sequence}", T0.AddSeconds(sequence), "kmsg", null, boot, sequence);

    private static NodeHealthState Record(NodeHealthState state, DateTime at, params Finding[] findings)
    {
        var (_, recorded) = state.Decide(new RecordFindings(Node, findings[0].AgentBootId, [.. findings]), TestReasons.Catalog, at);
        return recorded is null ? state : state.Apply(recorded);
    }

    private static NodeHealthState Monitored(params MonitorStatus[] monitors) =>
        NodeHealthState.Empty(Node).Apply(NodeHealthState.Empty(Node).Decide(new ReportMonitors(Node, [.. monitors]), T0)!);

    [Fact]
    public void Active_monitor_publishes_its_condition_true_with_the_ready_reason()
    {
        var state = Monitored(KernelActive);

        var kernel = Assert.Single(state.Conditions);
        Assert.Equal((ConditionType.KernelReady, ConditionStatus.True, "KernelIsReady"), (kernel.Type, kernel.Status, kernel.Reason));
        Assert.Equal(T0, kernel.LastTransitionTime);
    }

    [Fact]
    public void Monitor_that_cannot_read_its_source_makes_the_condition_unknown_never_true()
    {
        var state = Monitored(new MonitorStatus(ConditionType.KernelReady, MonitorState.Failed, "KernelLogUnreadable", "Permission denied"));

        var kernel = Assert.Single(state.Conditions);
        Assert.Equal(ConditionStatus.Unknown, kernel.Status);
        Assert.Equal("KernelLogUnreadable", kernel.Reason);
    }

    [Fact]
    public void Inactive_monitor_publishes_nothing()
    {
        var state = Monitored(new MonitorStatus(ConditionType.StorageReady, MonitorState.Inactive, "NotMonitored", "no rules yet"));

        Assert.Empty(state.Conditions);
        Assert.True(state.IsKnown);
    }

    [Fact]
    public void Warning_is_a_warning_event_with_the_EKS_message_and_leaves_the_condition_true()
    {
        var state = Record(Monitored(KernelActive), T0.AddMinutes(1), Finding(1, message: "CPU#1 stuck for 23s"));

        var warning = Assert.Single(state.RecentEvents);
        Assert.Equal((EventType.Warning, "SoftLockup", "SoftLockup: CPU#1 stuck for 23s"), (warning.Type, warning.Reason, warning.Message));
        Assert.Equal(ConditionStatus.True, state.Conditions.Single().Status);
        Assert.Single(state.RecentFindings);
    }

    [Fact]
    public void Info_is_a_normal_event()
    {
        var state = Record(Monitored(KernelActive), T0, Finding(1, "KernelNote", Severity.Info));

        Assert.Equal(EventType.Normal, state.RecentEvents.Single().Type);
    }

    [Fact]
    public void Fatal_turns_the_condition_false_and_a_second_fatal_keeps_the_transition_time()
    {
        var first = Record(Monitored(KernelActive), T0.AddMinutes(1), Finding(1, "KernelPanic", Severity.Fatal, message: "oops"));
        var second = Record(first, T0.AddMinutes(5), Finding(2, "DiskDead", Severity.Fatal, message: "stuck"));

        var kernel = second.Conditions.Single();
        Assert.Equal(ConditionStatus.False, kernel.Status);
        Assert.Equal("KernelPanic", kernel.Reason); // The oldest active fatal reason.
        Assert.Equal(T0.AddMinutes(1), kernel.LastTransitionTime);
        Assert.Equal("KernelPanic: oops; DiskDead: stuck", kernel.Message);
        Assert.Equal(2, kernel.ActiveFaults.Length);
    }

    [Fact]
    public void Repeated_fatal_reason_updates_its_fault_instead_of_adding_one()
    {
        var state = Record(Monitored(KernelActive), T0, Finding(1, "KernelPanic", Severity.Fatal));
        state = Record(state, T0.AddMinutes(2), Finding(2, "KernelPanic", Severity.Fatal, message: "again"));

        var fault = Assert.Single(state.Conditions.Single().ActiveFaults);
        Assert.Equal((2L, T0, T0.AddMinutes(2), "again"), (fault.Count, fault.Since, fault.LastSeen, fault.Message));
    }

    [Fact]
    public void Occurrences_a_finding_stands_for_are_summed_into_its_event_and_its_fault()
    {
        var state = Record(Monitored(KernelActive), T0, Finding(1, message: "same") with { Count = 10 }, Finding(2, message: "same") with { Count = 99_989 });
        state = Record(state, T0.AddMinutes(1), Finding(3, "KernelPanic", Severity.Fatal) with { Count = 3 });
        state = Record(state, T0.AddMinutes(2), Finding(4, "KernelPanic", Severity.Fatal) with { Count = 0 }); // An agent older than Count: one.

        Assert.Equal(99_999L, state.RecentEvents.Single(e => e.Reason == "SoftLockup").Count);
        Assert.Equal(4L, state.RecentEvents.Where(e => e.Reason == "KernelPanic").Sum(e => e.Count));
        Assert.Equal(4L, Assert.Single(state.Conditions.Single().ActiveFaults).Count);
    }

    [Fact]
    public void Fatal_without_an_active_monitor_still_turns_the_condition_false()
    {
        var state = Record(NodeHealthState.Empty(Node), T0, Finding(1, "KernelPanic", Severity.Fatal));

        Assert.Equal(ConditionStatus.False, state.Conditions.Single().Status);
    }

    [Fact]
    public void Resent_findings_are_acknowledged_but_recorded_once()
    {
        var state = Record(NodeHealthState.Empty(Node), T0, Finding(1), Finding(2));

        var (ack, recorded) = state.Decide(new RecordFindings(Node, "run-1", [Finding(1), Finding(2), Finding(3)]), TestReasons.Catalog, T0);

        Assert.Equal(3, ack.UpToSequence);
        Assert.Equal((1, 2), (ack.Accepted, ack.Duplicates));
        Assert.Equal([3L], recorded!.Findings.Select(f => f.Sequence));
    }

    [Fact]
    public void Fully_duplicate_batch_persists_nothing()
    {
        var state = Record(NodeHealthState.Empty(Node), T0, Finding(1), Finding(2));

        var (ack, recorded) = state.Decide(new RecordFindings(Node, "run-1", [Finding(2)]), TestReasons.Catalog, T0);

        Assert.Null(recorded);
        Assert.Equal(2, ack.UpToSequence);
    }

    [Fact]
    public void Each_agent_run_has_its_own_sequence()
    {
        var state = Record(NodeHealthState.Empty(Node), T0, Finding(5, boot: "run-1"));

        var (_, recorded) = state.Decide(new RecordFindings(Node, "run-2", [Finding(1, boot: "run-2")]), TestReasons.Catalog, T0);

        Assert.NotNull(recorded);
    }

    [Fact]
    public void Repeats_of_the_same_event_fold_into_one_with_a_count()
    {
        var state = Record(NodeHealthState.Empty(Node), T0, Finding(1, message: "same"), Finding(2, message: "same"), Finding(3, message: "other"));

        Assert.Equal(2, state.RecentEvents.Length);
        var folded = state.RecentEvents.Single(e => e.Message == "SoftLockup: same");
        Assert.Equal((2L, T0.AddSeconds(1), T0.AddSeconds(2)), (folded.Count, folded.FirstTimestamp, folded.LastTimestamp));
    }

    [Fact]
    public void History_is_bounded()
    {
        var state = NodeHealthState.Empty(Node);
        for (var i = 1; i <= 150; i++)
            state = Record(state, T0, Finding(i));

        Assert.Equal(NodeHealthMachine.RecentFindingsKept, state.RecentFindings.Length);
        Assert.Equal(150, state.RecentFindings[^1].Sequence);
        Assert.Equal(NodeHealthMachine.RecentEventsKept, state.RecentEvents.Length);
    }

    [Fact]
    public void Unchanged_monitor_report_persists_nothing()
    {
        var state = Monitored(KernelActive);

        Assert.Null(state.Decide(new ReportMonitors(Node, [KernelActive]), T0.AddHours(1)));
    }

    [Fact]
    public void Replaying_the_events_rebuilds_the_same_state()
    {
        var events = new List<INodeHealthEvent>();
        var state = NodeHealthState.Empty(Node);
        void Step(INodeHealthEvent? e)
        {
            if (e is null)
                return;
            events.Add(e);
            state = state.Apply(e);
        }

        Step(state.Decide(new ReportMonitors(Node, [KernelActive]), T0));
        Step(state.Decide(new RecordFindings(Node, "run-1", [Finding(1, "KernelPanic", Severity.Fatal)]), TestReasons.Catalog, T0.AddMinutes(1)).Event);
        Step(state.Decide(new RecordFindings(Node, "run-1", [Finding(2)]), TestReasons.Catalog, T0.AddMinutes(2)).Event);

        var replayed = events.Aggregate(NodeHealthState.Empty(Node), (s, e) => s.Apply(e));
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(state),
            System.Text.Json.JsonSerializer.Serialize(replayed));
    }
}

using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Tests.Health;

/// <summary>
/// DESIGN §5: lastTransitionTime moves only when status really flips — never because an agent
/// restarted and its monitors have not reported yet. Repair controllers time repairs from it.
/// </summary>
public sealed class AgentRestartTests
{
    private const string Node = "node-a";
    private static readonly DateTime T0 = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
    private static readonly MonitorStatus KernelActive = new(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "watching");
    private static readonly MonitorStatus KernelStarting = new(ConditionType.KernelReady, MonitorState.Starting, MonitorStatuses.StartingReason, "starting");
    private static readonly MonitorStatus StorageInactive = new(ConditionType.StorageReady, MonitorState.Inactive, "NotMonitored", "no rules");

    private static NodeHealthState Reported(NodeHealthState state, DateTime at, params MonitorStatus[] monitors) =>
        state.Decide(new ReportMonitors(Node, [.. monitors]), at) is { } e ? state.Apply(e) : state;

    private static ConditionState Kernel(NodeHealthState state) => state.Conditions.Single(c => c.Type == ConditionType.KernelReady);

    /// <summary>What an agent restart sends: a hello naming no monitor, each monitor Starting, then what it sees.</summary>
    private static IEnumerable<NodeHealthState> Restarted(NodeHealthState state, DateTime at)
    {
        yield return state = Reported(state, at);
        yield return state = Reported(state, at.AddSeconds(1), KernelStarting, StorageInactive);
        yield return Reported(state, at.AddSeconds(2), KernelActive, StorageInactive);
    }

    [Fact]
    public void A_true_condition_keeps_its_status_reason_and_transition_time_through_an_agent_restart()
    {
        var state = Reported(NodeHealthState.Empty(Node), T0, KernelActive, StorageInactive);

        foreach (var step in Restarted(state, T0.AddHours(1)))
            Assert.Equal((ConditionStatus.True, "KernelIsReady", T0), (Kernel(step).Status, Kernel(step).Reason, Kernel(step).LastTransitionTime));
    }

    [Fact]
    public void A_condition_held_false_by_a_fault_keeps_it_through_an_agent_restart()
    {
        var state = Reported(NodeHealthState.Empty(Node), T0, KernelActive);
        var panic = new Finding(Node, ConditionType.KernelReady, "KernelPanic", Severity.Fatal, "panic", T0, "kmsg", null, "run-1", 1);
        state = state.Apply(state.Decide(new RecordFindings(Node, "run-1", [panic]), TestReasons.Catalog, T0.AddMinutes(1)).Event!);

        foreach (var step in Restarted(state, T0.AddHours(1)))
            Assert.Equal((ConditionStatus.False, "KernelPanic", T0.AddMinutes(1)), (Kernel(step).Status, Kernel(step).Reason, Kernel(step).LastTransitionTime));
    }

    [Fact]
    public void A_report_that_names_some_monitors_leaves_the_others_as_they_were()
    {
        var state = Reported(NodeHealthState.Empty(Node), T0, KernelActive, StorageInactive);

        var after = Reported(state, T0.AddMinutes(1), new MonitorStatus(ConditionType.StorageReady, MonitorState.Failed, "DiskUnreadable", "no /sys"));

        Assert.Equal([MonitorState.Active, MonitorState.Failed], after.Monitors.Select(m => m.State));
        Assert.Null(after.Decide(new ReportMonitors(Node, []), T0.AddMinutes(2))); // Naming nothing changes nothing.
    }

    [Fact]
    public void A_starting_monitor_of_a_node_never_seen_publishes_nothing_yet()
    {
        var state = Reported(NodeHealthState.Empty(Node), T0, KernelStarting);

        Assert.Empty(state.Conditions);
        Assert.True(state.IsKnown);
    }

    [Fact]
    public void A_failed_monitor_that_restarts_stays_unknown_until_it_reports()
    {
        var failed = new MonitorStatus(ConditionType.KernelReady, MonitorState.Failed, "KernelLogUnreadable", "Permission denied");
        var state = Reported(NodeHealthState.Empty(Node), T0, failed);

        state = Reported(state, T0.AddMinutes(5), KernelStarting);

        Assert.Equal((ConditionStatus.Unknown, "KernelLogUnreadable", T0), (Kernel(state).Status, Kernel(state).Reason, Kernel(state).LastTransitionTime));
    }

    [Fact]
    public void A_fault_cleared_while_its_monitor_is_starting_leaves_the_condition_unknown_until_the_monitor_reports()
    {
        var state = Reported(NodeHealthState.Empty(Node), T0, KernelActive);
        var panic = new Finding(Node, ConditionType.KernelReady, "KernelPanic", Severity.Fatal, "panic", T0, "kmsg", null, "run-1", 1);
        state = state.Apply(state.Decide(new RecordFindings(Node, "run-1", [panic]), TestReasons.Catalog, T0.AddMinutes(1)).Event!);
        state = Reported(state, T0.AddMinutes(2), KernelStarting);

        state = state.Apply(state.Decide(new ClearFault(Node, ConditionType.KernelReady, "KernelPanic", "replaced"), T0.AddMinutes(3))!);
        Assert.Equal((ConditionStatus.Unknown, MonitorStatuses.StartingReason), (Kernel(state).Status, Kernel(state).Reason));

        state = Reported(state, T0.AddMinutes(4), KernelActive);
        Assert.Equal((ConditionStatus.True, "KernelIsReady", T0.AddMinutes(4)), (Kernel(state).Status, Kernel(state).Reason, Kernel(state).LastTransitionTime));
    }
}

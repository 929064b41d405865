using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Tests.Health;

/// <summary>DESIGN §5: an agent silent longer than its lease turns what it vouched for Unknown, with a reason naming the cause.</summary>
public sealed class AgentLeaseTests
{
    private const string Node = "node-a";
    private static readonly DateTime T0 = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(40);
    private static readonly MonitorStatus KernelActive = new(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "watching");
    private static readonly MonitorStatus StorageFailed = new(ConditionType.StorageReady, MonitorState.Failed, "DiskUnreadable", "no /proc");
    private static readonly MonitorStatus NetworkingInactive = new(ConditionType.NetworkingReady, MonitorState.Inactive, "NotMonitored", "no rules");

    private static NodeHealthState Monitored(params MonitorStatus[] monitors) =>
        NodeHealthState.Empty(Node).Apply(NodeHealthState.Empty(Node).Decide(new ReportMonitors(Node, [.. monitors]), T0)!);

    private static NodeHealthState Expired(NodeHealthState state, DateTime lastHeard, DateTime now) =>
        state.Apply(state.DecideLease(lastHeard, Lease, now) ?? throw new InvalidOperationException("the lease did not expire"));

    private static ConditionState Condition(NodeHealthState state, ConditionType type) => state.Conditions.Single(c => c.Type == type);

    [Fact]
    public void Lease_holds_until_it_has_fully_run()
    {
        var state = Monitored(KernelActive);

        Assert.Null(state.DecideLease(T0, Lease, T0 + Lease - TimeSpan.FromMilliseconds(1)));
        Assert.NotNull(state.DecideLease(T0, Lease, T0 + Lease));
    }

    [Fact]
    public void Expired_lease_turns_monitored_conditions_unknown_with_the_cause_and_keeps_unmonitored_ones_unpublished()
    {
        var expiredAt = T0.AddMinutes(5);
        var state = Expired(Monitored(KernelActive, StorageFailed, NetworkingInactive), T0.AddMinutes(4), expiredAt);

        foreach (var type in new[] { ConditionType.KernelReady, ConditionType.StorageReady })
        {
            var condition = Condition(state, type);
            Assert.Equal((ConditionStatus.Unknown, NodeHealthMachine.AgentNotReportingReason), (condition.Status, condition.Reason));
            Assert.Equal("The node-health agent has not reported since 2026-11-25T12:04:00Z (lease 40s)", condition.Message);
        }

        Assert.Equal(expiredAt, Condition(state, ConditionType.KernelReady).LastTransitionTime); // True → Unknown is a transition.
        Assert.Equal(T0, Condition(state, ConditionType.StorageReady).LastTransitionTime); // Unknown stays Unknown.
        Assert.DoesNotContain(state.Conditions, c => c.Type == ConditionType.NetworkingReady);
        Assert.Equal(new AgentSilence(T0.AddMinutes(4), Lease, expiredAt), state.AgentSilence);
    }

    [Fact]
    public void A_fault_stays_false_through_the_silence_because_silence_is_no_evidence_of_recovery()
    {
        var faulted = Monitored(KernelActive);
        var fatal = new Finding(Node, ConditionType.KernelReady, "KernelPanic", Severity.Fatal, "panic", T0, "kmsg", null, "run-1", 1);
        faulted = faulted.Apply(faulted.Decide(new RecordFindings(Node, "run-1", [fatal]), TestReasons.Catalog, T0.AddMinutes(1)).Event!);

        var state = Expired(faulted, T0.AddMinutes(2), T0.AddMinutes(3));

        var kernel = Condition(state, ConditionType.KernelReady);
        Assert.Equal((ConditionStatus.False, "KernelPanic", T0.AddMinutes(1)), (kernel.Status, kernel.Reason, kernel.LastTransitionTime));
    }

    [Fact]
    public void Lease_expires_once_and_never_for_a_node_nothing_was_recorded_for()
    {
        var state = Expired(Monitored(KernelActive), T0, T0 + Lease);

        Assert.Null(state.DecideLease(T0, Lease, T0.AddHours(1)));
        Assert.Null(NodeHealthState.Empty(Node).DecideLease(T0, Lease, T0.AddHours(1)));
    }

    [Fact]
    public void Returning_agent_restores_what_its_monitors_report()
    {
        var silent = Expired(Monitored(KernelActive), T0, T0 + Lease);
        var back = T0.AddMinutes(10);

        var state = silent.Apply(silent.DecideAgentHeard(back)!);

        var kernel = Condition(state, ConditionType.KernelReady);
        Assert.Equal((ConditionStatus.True, "KernelIsReady", back), (kernel.Status, kernel.Reason, kernel.LastTransitionTime));
        Assert.Null(state.AgentSilence);
        Assert.Null(state.DecideAgentHeard(back.AddSeconds(1))); // Only a silence ends.
    }
}

using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Tests.Health;

/// <summary>A probe-backed fault clears when the probe that raised it sees its check pass again, in order with the findings around it.</summary>
public sealed class ProbeRecoveryTests
{
    private const string Node = "node-a";
    private const string Run = "run-1";
    private static readonly DateTime T0 = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
    private static readonly MonitorStatus NetworkingActive = new(ConditionType.NetworkingReady, MonitorState.Active, "NetworkingIsReady", "watching");

    private static readonly ReasonCatalog Catalog = CatalogLoader.Parse("probe-reasons.yaml", """
        conditions:
          - type: NetworkingReady
            reasons:
              - { reason: InterfaceNotUp, severity: Fatal, source: probe-interfaces, recovery: probe, repair: Replace }
              - { reason: NicFirmwareDead, severity: Fatal, source: probe-interfaces, recovery: manual }
        """);

    private static Finding Down(long sequence, string reason = "InterfaceNotUp", DateTime? at = null, string run = Run) =>
        new(Node, ConditionType.NetworkingReady, reason, Severity.Fatal, $"interface eth0 is down ({sequence})", at ?? T0, "probe-interfaces", "eth0",
            run, sequence, RecoveryMode.Probe);

    private static ProbeRecovery Up(long sequence, string reason = "InterfaceNotUp", DateTime? at = null) =>
        new(Node, ConditionType.NetworkingReady, reason, "eth0", "interfaces", "eth0 passed again", at ?? T0.AddSeconds(10), Run, sequence);

    private static NodeHealthState Monitored()
    {
        var state = NodeHealthState.Empty(Node);
        return state.Apply(state.Decide(new ReportMonitors(Node, [NetworkingActive]), T0)!);
    }

    private static (Contracts.Wire.BatchAck Ack, NodeHealthState State, IReadOnlyList<INodeHealthEvent> Events) Deliver(
        NodeHealthState state, Finding[] findings, ProbeRecovery[] recoveries, DateTime at)
    {
        var (ack, events) = state.DecideDelivery(new RecordFindings(Node, Run, [.. findings], [.. recoveries]), Catalog, at);
        return (ack, events.Aggregate(state, (s, e) => s.Apply(e)), events);
    }

    private static ConditionState Networking(NodeHealthState state) => state.Conditions.Single(c => c.Type == ConditionType.NetworkingReady);

    [Fact]
    public void A_recovery_clears_the_probe_backed_fault_and_names_the_probe_as_cause()
    {
        var (_, faulted, _) = Deliver(Monitored(), [Down(1)], [], T0.AddSeconds(1));
        Assert.Equal(ConditionStatus.False, Networking(faulted).Status);

        var (ack, state, events) = Deliver(faulted, [], [Up(2)], T0.AddSeconds(11));

        var cleared = Assert.IsType<FaultsCleared>(Assert.Single(events));
        Assert.Equal([new ClearedFault(ConditionType.NetworkingReady, "InterfaceNotUp")], cleared.Faults.ToArray());
        Assert.Equal("probe interfaces: eth0 passed again", cleared.Cause);
        Assert.Equal((ConditionStatus.True, "NetworkingIsReady"), (Networking(state).Status, Networking(state).Reason));
        Assert.Equal((2L, 1, 0), (ack.UpToSequence, ack.Accepted, ack.Duplicates));
        Assert.Equal("InterfaceNotUp cleared: probe interfaces: eth0 passed again", state.RecentEvents[^1].Message);
    }

    [Fact]
    public void A_finding_after_the_recovery_in_the_same_batch_raises_the_fault_again()
    {
        var (_, faulted, _) = Deliver(Monitored(), [Down(1)], [], T0.AddSeconds(1));

        var (ack, state, events) = Deliver(faulted, [Down(4, at: T0.AddSeconds(20))], [Up(3)], T0.AddSeconds(21));

        Assert.Equal([typeof(FaultsCleared), typeof(FindingsRecorded)], events.Select(e => e.GetType()));
        Assert.Equal((ConditionStatus.False, "InterfaceNotUp"), (Networking(state).Status, Networking(state).Reason));
        Assert.Equal(4L, ack.UpToSequence);
    }

    [Fact]
    public void A_finding_before_the_recovery_in_the_same_batch_is_cleared_by_it()
    {
        var (_, state, events) = Deliver(Monitored(), [Down(1)], [Up(2)], T0.AddSeconds(11));

        Assert.Equal([typeof(FindingsRecorded), typeof(FaultsCleared)], events.Select(e => e.GetType()));
        Assert.Empty(Networking(state).ActiveFaults);
    }

    [Fact]
    public void A_recovery_observed_before_the_last_occurrence_does_not_clear_it()
    {
        // Another agent run reported the fault again at T0+30s; a recovery seen at T0+10s is older news.
        var (_, faulted, _) = Deliver(Monitored(), [Down(1), Down(2, at: T0.AddSeconds(30))], [], T0.AddSeconds(31));

        var (_, state, events) = Deliver(faulted, [], [Up(3, at: T0.AddSeconds(10))], T0.AddSeconds(32));

        Assert.Empty(events);
        Assert.Equal(ConditionStatus.False, Networking(state).Status);
    }

    [Fact]
    public void A_recovery_for_a_reason_that_is_not_active_changes_nothing_but_is_acknowledged()
    {
        var (ack, state, events) = Deliver(Monitored(), [], [Up(1)], T0.AddSeconds(1));

        Assert.Empty(events);
        Assert.Equal((1L, 1), (ack.UpToSequence, ack.Accepted));
        Assert.Equal(ConditionStatus.True, Networking(state).Status);
    }

    [Fact]
    public void A_recovery_does_not_clear_a_fault_whose_recovery_is_not_probe()
    {
        var (_, faulted, _) = Deliver(Monitored(), [Down(1, reason: "NicFirmwareDead") with { Recovery = RecoveryMode.Manual }], [], T0.AddSeconds(1));

        var (_, state, events) = Deliver(faulted, [], [Up(2, reason: "NicFirmwareDead")], T0.AddSeconds(11));

        Assert.Empty(events);
        Assert.Equal((ConditionStatus.False, "NicFirmwareDead"), (Networking(state).Status, Networking(state).Reason));
    }

    [Fact]
    public void A_resent_recovery_is_a_duplicate_once_a_later_finding_of_its_run_was_recorded()
    {
        var (_, faulted, _) = Deliver(Monitored(), [Down(1)], [Up(2)], T0.AddSeconds(11));
        var (_, refaulted, _) = Deliver(faulted, [Down(3, at: T0.AddSeconds(20))], [], T0.AddSeconds(21));

        var (ack, state, events) = Deliver(refaulted, [Down(3, at: T0.AddSeconds(20))], [Up(2)], T0.AddSeconds(40));

        Assert.Empty(events);
        Assert.Equal((3L, 0, 2), (ack.UpToSequence, ack.Accepted, ack.Duplicates));
        Assert.Equal(ConditionStatus.False, Networking(state).Status);
    }
}

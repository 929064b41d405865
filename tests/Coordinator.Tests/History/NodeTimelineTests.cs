using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;
using NodeHealth.Coordinator.History;

namespace NodeHealth.Coordinator.Tests.History;

public sealed class NodeTimelineTests
{
    private const string Node = "ip-10-0-0-1";
    private static readonly DateTime T0 = new(2026, 11, 28, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_fatal_finding_shows_as_the_finding_and_its_condition_turning_False()
    {
        var timeline = NodeTimeline.Build(NodeHealthState.Empty(Node), [(1, Found(T0, "ForkFailedOutOfPIDs", Severity.Fatal))], []);

        var finding = Assert.Single(timeline, e => e.Kind == "finding");
        Assert.Equal(("KernelReady", "ForkFailedOutOfPIDs", "Fatal", 1L), (finding.Condition, finding.Reason, finding.To, finding.SequenceNr));
        var transition = Assert.Single(timeline, e => e.Kind == "transition" && e.To == "False");
        Assert.Equal(("KernelReady", "ForkFailedOutOfPIDs"), (transition.Condition, transition.Reason));
    }

    [Fact]
    public void A_clearing_shows_with_its_cause_and_the_condition_turning_True_again()
    {
        var timeline = NodeTimeline.Build(NodeHealthState.Empty(Node),
        [
            (1, new MonitorsReported(Node, T0, [new MonitorStatus(ConditionType.KernelReady, MonitorState.Active, "", "")])),
            (2, Found(T0, "ForkFailedOutOfPIDs", Severity.Fatal)),
            (3, new FaultsCleared(Node, T0.AddMinutes(5), [new ClearedFault(ConditionType.KernelReady, "ForkFailedOutOfPIDs")], "cleared by an operator")),
        ], []);

        var cleared = Assert.Single(timeline, e => e.Kind == "cleared");
        Assert.Equal(("ForkFailedOutOfPIDs", "cleared by an operator", T0.AddMinutes(5)), (cleared.Reason, cleared.Detail, cleared.At));
        var back = Assert.Single(timeline, e => e.Kind == "transition" && e.From == "False");
        Assert.Equal(("KernelReady", "True", 3L), (back.Condition, back.To, back.SequenceNr));
    }

    [Fact]
    public void A_warning_changes_no_condition_status()
    {
        var timeline = NodeTimeline.Build(NodeHealthState.Empty(Node), [(1, Found(T0, "SoftLockup", Severity.Warning))], []);

        Assert.DoesNotContain(timeline, e => e.Kind == "transition" && e.To == "False");
    }

    [Fact]
    public void A_repair_shows_its_start_each_step_and_its_end_in_time_order_among_the_findings()
    {
        var started = new RepairStarted("r-1", T0.AddMinutes(1), Node, "gpu", "eu-west-1a", "KernelReady", "ForkFailedOutOfPIDs", RepairAction.Reboot);
        var run = new RepairRunState(started, [new RepairStepDone("r-1", T0.AddMinutes(2), "Cordon", "cordoned")],
            new RepairEnded("r-1", T0.AddMinutes(4), "Succeeded", "the node came back healthy", ""));

        var timeline = NodeTimeline.Build(NodeHealthState.Empty(Node),
            [(1, Found(T0, "ForkFailedOutOfPIDs", Severity.Fatal)), (2, Found(T0.AddMinutes(3), "SoftLockup", Severity.Warning))], [run]);

        Assert.Equal(["finding", "transition", "repair:Started", "repair:Cordon", "finding", "repair:Succeeded"],
            timeline.Where(e => e.Kind is "finding" or "repair" || e.To == "False").Select(e => e.Kind == "repair" ? $"repair:{e.To}" : e.Kind));
        Assert.All(timeline.Where(e => e.Kind == "repair"), e => Assert.Equal("r-1", e.RepairId));
    }

    [Fact]
    public void After_a_trim_the_state_at_the_trim_point_keeps_an_unchanged_condition_from_showing_as_a_transition()
    {
        var before = NodeTimeline.Build(NodeHealthState.Empty(Node), [(1, Found(T0, "ForkFailedOutOfPIDs", Severity.Fatal))], []);
        var trimPoint = NodeHealthState.Empty(Node);
        foreach (var e in new INodeHealthEvent[] { Found(T0, "ForkFailedOutOfPIDs", Severity.Fatal) })
            trimPoint = NodeHealth.Actors.Health.NodeHealthMachine.Apply(trimPoint, e);

        var after = NodeTimeline.Build(trimPoint, [(7, Found(T0.AddHours(1), "ForkFailedOutOfPIDs", Severity.Fatal, sequence: 2))], []);

        Assert.Contains(before, e => e.Kind == "transition" && e.To == "False");
        Assert.DoesNotContain(after, e => e.Kind == "transition");
    }

    private static FindingsRecorded Found(DateTime at, string reason, Severity severity, long sequence = 1) => new(Node, at, "boot-1",
    [
        new Finding(Node, ConditionType.KernelReady, reason, severity, $"{reason} seen", at, "kmsg", null, "boot-1", sequence,
            severity == Severity.Fatal ? RecoveryMode.Manual : RecoveryMode.None),
    ]);
}

using NodeHealth.Actors.Metrics;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Tests.Metrics;

/// <summary>The fleet and the repair governor as gauge values: pure functions of what the view and the governor hold.</summary>
public sealed class GaugeTests
{
    private static readonly DateTime T0 = new(2026, 11, 28, 1, 0, 0, DateTimeKind.Utc);

    private static ConditionState Condition(ConditionType type, ConditionStatus status, string reason = "Ready", params string[] faults) =>
        new(type, status, reason, "", T0, [.. faults.Select(f => new ActiveFault(f, "", T0, T0, 1))]);

    private static NodeSummary Node(string name, params ConditionState[] conditions) => new(name, [.. conditions], T0);

    [Fact]
    public void Conditions_are_counted_by_type_and_status_with_every_combination_measured_and_deleted_nodes_left_out()
    {
        var nodes = new[]
        {
            Node("gpu-1", Condition(ConditionType.KernelReady, ConditionStatus.True), Condition(ConditionType.AcceleratedHardwareReady, ConditionStatus.False, "NvidiaXID79Error", "NvidiaXID79Error")),
            Node("gpu-2", Condition(ConditionType.KernelReady, ConditionStatus.True), Condition(ConditionType.AcceleratedHardwareReady, ConditionStatus.False, "NvidiaXID79Error", "NvidiaXID79Error", "NvidiaXID48Error")),
            Node("cpu-1", Condition(ConditionType.KernelReady, ConditionStatus.False, "KernelBug", "KernelBug")),
            new NodeSummary("gone-1", [Condition(ConditionType.KernelReady, ConditionStatus.False, "KernelBug", "KernelBug")], T0, NodeObjectDeletedAt: T0),
        };

        var gauges = FleetMetrics.Measure([.. nodes], T0);

        var conditions = gauges[FleetMetrics.Conditions];
        Assert.Equal(15, conditions.Count);
        Assert.Equal(2, Value(conditions, ("condition", "KernelReady"), ("status", "True")));
        Assert.Equal(1, Value(conditions, ("condition", "KernelReady"), ("status", "False")));
        Assert.Equal(2, Value(conditions, ("condition", "AcceleratedHardwareReady"), ("status", "False")));
        Assert.Equal(0, Value(conditions, ("condition", "StorageReady"), ("status", "Unknown")));
        Assert.Equal(2, Value(gauges[FleetMetrics.ActiveFaults], ("condition", "AcceleratedHardwareReady"), ("reason", "NvidiaXID79Error")));
        Assert.Equal(1, Value(gauges[FleetMetrics.ActiveFaults], ("condition", "KernelReady"), ("reason", "KernelBug")));
        Assert.Equal(3, gauges[FleetMetrics.Nodes].Single().Value);
        Assert.All(gauges[FleetMetrics.ActiveFaults], g => Assert.Null(g.Label("node")));
    }

    [Fact]
    public void A_node_whose_agent_is_silent_is_measured_by_node_for_as_long_as_its_conditions_have_been_unknown()
    {
        var silent = new ConditionState(ConditionType.KernelReady, ConditionStatus.Unknown, "AgentNotReporting", "silent", T0.AddMinutes(-3), []);
        var starting = new ConditionState(ConditionType.KernelReady, ConditionStatus.Unknown, "MonitorStarting", "", T0.AddMinutes(-9), []);

        var gauges = FleetMetrics.Measure([Node("quiet-1", silent), Node("fresh-1", starting), Node("fine-1", Condition(ConditionType.KernelReady, ConditionStatus.True))], T0);

        var measured = Assert.Single(gauges[FleetMetrics.SilentAgents]);
        Assert.Equal("quiet-1", measured.Label("node"));
        Assert.Equal(180, measured.Value);
    }

    [Fact]
    public void A_fault_that_cleared_reads_zero_instead_of_its_last_count_while_a_per_node_gauge_just_disappears()
    {
        var board = new GaugeBoard("faults");
        board.Publish(new Dictionary<string, IReadOnlyList<Measured>>
        {
            ["faults"] = [new(2, new KeyValuePair<string, object?>("reason", "KernelBug"))],
            ["silent"] = [new(60, new KeyValuePair<string, object?>("node", "quiet-1"))],
        });

        board.Publish(new Dictionary<string, IReadOnlyList<Measured>> { ["faults"] = [], ["silent"] = [] });

        Assert.Equal(0, Assert.Single(board.Read("faults")).Value);
        Assert.Empty(board.Read("silent"));
    }

    [Fact]
    public void The_governors_state_gives_repairs_running_by_pool_breakers_by_zone_the_pause_and_verdicts()
    {
        var state = GovernorState.Empty
            .Apply(new RepairStarted("gpu-1-r", T0, "gpu-1", "p5", "us-east-1a", "AcceleratedHardwareReady", "NvidiaXID79Error", RepairAction.Replace))
            .Apply(new RepairStarted("gpu-2-r", T0, "gpu-2", "p5", "us-east-1a", "AcceleratedHardwareReady", "NvidiaXID79Error", RepairAction.Reboot))
            .Apply(new RepairStarted("cpu-1-r", T0, "cpu-1", "general", "us-east-1b", "KernelReady", "KernelBug", RepairAction.Reboot))
            .Apply(new RepairEnded("cpu-1-r", T0.AddMinutes(5), "Succeeded", "verified", ""))
            .Apply(new RepairZoneTripped("us-east-1c", T0, "storm"))
            .Apply(new RepairPausedByOperator(T0, "alice", "maintenance"))
            .Apply(Decision("gpu-3", "Deny", "ZoneStorm", T0.AddMinutes(-40), TimeSpan.FromMinutes(10)))
            .Apply(Decision("gpu-4", "Wait", "None", T0.AddMinutes(-1), TimeSpan.FromMinutes(10)));

        var gauges = RepairGauges.Measure(state, RepairPolicy.Default);

        Assert.Equal(2, Value(gauges[RepairMetrics.InFlight], ("pool", "p5")));
        Assert.DoesNotContain(gauges[RepairMetrics.InFlight], g => g.Label("pool") == "general");
        Assert.Equal(1, Value(gauges[RepairMetrics.ZoneBreaker], ("zone", "us-east-1c")));
        Assert.Equal(1, gauges[RepairMetrics.Paused].Single().Value);
        Assert.Equal(1, Value(gauges[RepairMetrics.Decisions], ("verdict", "Deny")));
        Assert.Equal(1, Value(gauges[RepairMetrics.Decisions], ("verdict", "Wait")));
        Assert.Equal(RepairPolicy.Default.Budgets.MaxParallelTotal, gauges[RepairMetrics.FleetParallelLimit].Single().Value);
        Assert.Equal(12, Value(gauges[RepairMetrics.PoolNodes], ("pool", "p5")));
        Assert.Equal(4, Value(gauges[RepairMetrics.PoolUnhealthy], ("pool", "p5")));
    }

    [Fact]
    public void A_denied_repair_is_overdue_from_its_faults_onset_plus_its_wait_and_a_waiting_one_is_not_listed()
    {
        var state = GovernorState.Empty
            .Apply(Decision("gpu-3", "Deny", "ZoneStorm", T0.AddMinutes(-40), TimeSpan.FromMinutes(10)))
            .Apply(Decision("gpu-4", "Wait", "None", T0.AddMinutes(-1), TimeSpan.FromMinutes(10)));

        var (labels, dueAt) = Assert.Single(RepairGauges.Overdue(state));

        Assert.Equal(T0.AddMinutes(-30), dueAt);
        Assert.Equal("gpu-3", labels.Label("node"));
        Assert.Equal("AcceleratedHardwareReady", labels.Label("condition"));
        Assert.Equal("ZoneStorm", labels.Label("denial"));
    }

    private static RepairDecisionRecorded Decision(string node, string verdict, string denial, DateTime since, TimeSpan wait) =>
        new(node, T0, "p5", "us-east-1a", "AcceleratedHardwareReady", "NvidiaXID79Error", RepairAction.Replace, verdict, denial, DryRun: false,
            NotBefore: since + wait, "rule", "clause",
            [new RecordedFault("AcceleratedHardwareReady", ConditionStatus.False, "NvidiaXID79Error", since, wait, RepairAction.Replace, "wait clause", "action clause")],
            new RecordedBudget("p5", 12, 4, "20 %", 2, 1, 2, 10, "us-east-1a", "closed", "always"), "explanation");

    private static double Value(IReadOnlyList<Measured> measured, params (string Label, string Value)[] labels) =>
        measured.Single(m => labels.All(l => m.Label(l.Label) == l.Value)).Value;
}

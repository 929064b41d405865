using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Metrics;

/// <summary>
/// The fleet as gauges, from the fleet view's node list (every coordinator's view is the same, so each exports the
/// same values: aggregate with max, not sum). Published now and then by the coordinator's feed, read when scraped.
/// </summary>
public static class FleetMetrics
{
    public const string Conditions = "node_health.conditions";
    public const string ActiveFaults = "node_health.active_faults";
    public const string Nodes = "node_health.nodes";
    public const string SilentAgents = "node_health.agent.silent";

    private static readonly Meter Meter = new(MeterNames.Fleet);

    public static GaugeBoard Board { get; } = new(ActiveFaults);

    static FleetMetrics()
    {
        Meter.CreateObservableGauge(Conditions, () => Board.Measurements(Conditions), "{node}",
            "Nodes by condition type and status (True, False, Unknown)");
        Meter.CreateObservableGauge(ActiveFaults, () => Board.Measurements(ActiveFaults), "{fault}",
            "Active fatal faults across the fleet, by condition and reason");
        Meter.CreateObservableGauge(Nodes, () => Board.Measurements(Nodes), "{node}", "Nodes the fleet view knows");
        // Per node by nature, and only the silent ones: bounded by how many agents are silent at once.
        Meter.CreateObservableGauge(SilentAgents, () => Board.Measurements(SilentAgents), "s",
            "Seconds a node's conditions have been Unknown because its agent went silent past its lease, per silent node");
    }

    public static void Publish(ImmutableArray<NodeSummary> nodes, DateTime now) => Board.Publish(Measure(nodes, now));

    /// <summary>The gauges of a node list at <paramref name="now"/>; every condition type and status is measured, zero included.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Measured>> Measure(ImmutableArray<NodeSummary> nodes, DateTime now)
    {
        var live = nodes.Where(n => n.NodeObjectDeletedAt is null).ToList();
        var conditions = new List<Measured>();
        foreach (var type in ConditionTypes.All)
            foreach (var status in new[] { ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown })
                conditions.Add(new(live.Count(n => n.Conditions.OrEmpty().Any(c => c.Type == type && c.Status == status)),
                    new("condition", type.ToString()), new("status", status.ToString())));
        var faults = live.SelectMany(n => n.Conditions.OrEmpty())
            .SelectMany(c => c.ActiveFaults.OrEmpty().Select(f => (Condition: c.Type.ToString(), f.Reason)))
            .GroupBy(f => f)
            .OrderBy(g => g.Key.Condition, StringComparer.Ordinal).ThenBy(g => g.Key.Reason, StringComparer.Ordinal)
            .Select(g => new Measured(g.Count(), new("condition", g.Key.Condition), new("reason", g.Key.Reason)))
            .ToList();
        return new Dictionary<string, IReadOnlyList<Measured>>
        {
            [Conditions] = conditions,
            [ActiveFaults] = faults,
            [Nodes] = [new(live.Count)],
            [SilentAgents] = [.. live.Select(n => (n.NodeName, Since: SilentSince(n))).Where(n => n.Since is not null)
                .OrderBy(n => n.NodeName, StringComparer.Ordinal)
                .Select(n => new Measured(Math.Max(0, (now - n.Since!.Value).TotalSeconds), Measured.Tag("node", n.NodeName)))],
        };
    }

    /// <summary>When the node's conditions turned Unknown for its silent agent (the reason the health machine gives then), or null.</summary>
    private static DateTime? SilentSince(NodeSummary node) =>
        node.Conditions.OrEmpty().Where(c => c.Status == ConditionStatus.Unknown && c.Reason == Health.NodeHealthMachine.AgentNotReportingReason)
            .Select(c => (DateTime?)c.LastTransitionTime).Min();
}

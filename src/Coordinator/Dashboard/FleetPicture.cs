using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.Repair;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>One node's tile in the heat map.</summary>
public sealed record NodeTile(string Name, NodeHealthLevel Level, bool Repairing, string Summary);

/// <summary>The nodes of one pool in one zone.</summary>
public sealed record HeatCell(string Pool, string Zone, IReadOnlyList<NodeTile> Tiles)
{
    public int Unhealthy => Tiles.Count(t => t.Level == NodeHealthLevel.False);
}

/// <summary>A node that needs a person's attention: why, since when, and what repair will do about it.</summary>
public sealed record AttentionItem(string Node, NodeHealthLevel Level, IReadOnlyList<ConditionView> Why, DateTime Since, RepairOutlook Outlook);

/// <summary>
/// The fleet at a glance: the heat map (pools × zones), the counts that matter and the nodes that need attention
/// first (unhealthy before unknown, longest first). Pure: built from the API's views.
/// </summary>
public sealed record FleetPicture(
    IReadOnlyList<string> Pools, IReadOnlyList<string> Zones, IReadOnlyList<HeatCell> Cells,
    int Nodes, int Unhealthy, int UnknownNodes, int Repairing, IReadOnlyList<string> TrippedZones, RepairPauseView? Paused,
    IReadOnlyList<AttentionItem> Attention)
{
    /// <summary>Shown for a node whose Node object carries no pool or zone label (or without Kubernetes).</summary>
    public const string NoPool = "(no pool)";
    public const string NoZone = "(no zone)";

    /// <summary><paramref name="budgets"/>: the breakers now; without them, the zones the latest decisions saw tripped.</summary>
    public static FleetPicture From(IReadOnlyList<NodeSummaryView> nodes, RepairListView? repairs, RepairBudgetsView? budgets = null)
    {
        var repairing = (repairs?.Repairs ?? []).Where(r => r.State == "InFlight").Select(r => r.Node).ToHashSet(StringComparer.Ordinal);
        var decisions = repairs?.Decisions ?? [];
        var placed = nodes.Select(n => (Node: n, Pool: Place(n.Pool, decisions.FirstOrDefault(d => d.Node == n.Name)?.Pool, NoPool),
            Zone: Place(n.Zone, decisions.FirstOrDefault(d => d.Node == n.Name)?.Zone, NoZone), Level: NodeHealthLevels.Worst(n.Conditions))).ToList();

        var pools = placed.Select(p => p.Pool).Distinct().Order(StringComparer.Ordinal).ToList();
        var zones = placed.Select(p => p.Zone).Distinct().Order(StringComparer.Ordinal).ToList();
        var cells = placed.GroupBy(p => (p.Pool, p.Zone))
            .Select(g => new HeatCell(g.Key.Pool, g.Key.Zone,
                [.. g.OrderByDescending(p => p.Level).ThenBy(p => p.Node.Name, StringComparer.Ordinal)
                    .Select(p => new NodeTile(p.Node.Name, p.Level, repairing.Contains(p.Node.Name), TileSummary(p.Node, p.Level)))]))
            .ToList();

        var attention = placed.Where(p => p.Level is NodeHealthLevel.False or NodeHealthLevel.Unknown)
            .Select(p =>
            {
                var why = p.Node.Conditions.Where(c => c.Status != "True").OrderByDescending(c => c.Status == "False").ThenBy(c => c.LastTransitionTime).ToList();
                return new AttentionItem(p.Node.Name, p.Level, why, why.Min(c => c.LastTransitionTime), RepairOutlook.For(p.Node.Name, p.Level, repairs));
            })
            .OrderByDescending(a => a.Level).ThenBy(a => a.Since).ThenBy(a => a.Node, StringComparer.Ordinal)
            .ToList();

        return new FleetPicture(pools, zones, cells,
            nodes.Count, placed.Count(p => p.Level == NodeHealthLevel.False), placed.Count(p => p.Level == NodeHealthLevel.Unknown),
            repairing.Count, budgets is null ? ZonesTripped(repairs) : [.. budgets.Zones.Where(z => z.State == "Tripped").Select(z => z.Zone)],
            repairs?.Paused, attention);
    }

    public HeatCell? Cell(string pool, string zone) => Cells.FirstOrDefault(c => c.Pool == pool && c.Zone == zone);

    /// <summary>Zones whose storm breaker the latest decisions saw tripped.</summary>
    public static IReadOnlyList<string> ZonesTripped(RepairListView? repairs) =>
        [.. (repairs?.Decisions ?? []).Select(d => d.Explanation.Budget).OfType<RepairBudgetView>()
            .Where(b => b.ZoneBreaker.StartsWith("tripped", StringComparison.Ordinal))
            .Select(b => b.Zone).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The Node's label first; the governor's record of it when no informer runs here.</summary>
    private static string Place(string? fromNode, string? fromDecision, string none) =>
        fromNode is { Length: > 0 } ? fromNode : fromDecision is { Length: > 0 } ? fromDecision : none;

    private static string TileSummary(NodeSummaryView node, NodeHealthLevel level)
    {
        var bad = node.Conditions.Where(c => c.Status != "True").Select(c => $"{c.Type} {c.Status} ({c.Reason})").ToList();
        return bad.Count == 0 ? $"{node.Name}: {level.Words()}" : $"{node.Name}: {string.Join(", ", bad)}";
    }
}

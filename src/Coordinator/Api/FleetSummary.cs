using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Coordinator.Kubernetes.Nodes;

namespace NodeHealth.Coordinator.Api;

/// <summary>
/// GET /api/fleet/summary: how many nodes, by their worst status (Unhealthy: a condition False; Unknown: none False,
/// one Unknown; else Healthy), by condition and status, by active fault reason, by pool and by zone (nodes and
/// unhealthy ones; <see cref="Unplaced"/> for nodes without a Node object's pool or zone).
/// </summary>
public sealed record FleetSummary(
    int Nodes,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ByCondition,
    IReadOnlyDictionary<string, int> ByReason,
    IReadOnlyDictionary<string, PlaceCount> ByPool,
    IReadOnlyDictionary<string, PlaceCount> ByZone)
{
    public const string Unplaced = "(none)";
    public const string Healthy = "Healthy";
    public const string Unhealthy = "Unhealthy";
    public const string Unknown = "Unknown";

    public static FleetSummary Of(IReadOnlyList<NodeSummary> nodes, Func<string, NodeFacts?> facts)
    {
        var byStatus = new SortedDictionary<string, int>(StringComparer.Ordinal) { [Healthy] = 0, [Unhealthy] = 0, [Unknown] = 0 };
        var byCondition = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        var byReason = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var byPool = new SortedDictionary<string, PlaceCount>(StringComparer.Ordinal);
        var byZone = new SortedDictionary<string, PlaceCount>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var conditions = node.Conditions.OrEmpty();
            var status = StatusOf(conditions);
            byStatus[status]++;
            foreach (var c in conditions)
            {
                var counts = byCondition.TryGetValue(c.Type.ToString(), out var found) ? found : byCondition[c.Type.ToString()] = new(StringComparer.Ordinal);
                counts[c.Status.ToString()] = counts.GetValueOrDefault(c.Status.ToString()) + 1;
            }

            foreach (var reason in conditions.SelectMany(c => c.ActiveFaults.OrEmpty()).Select(f => f.Reason).Distinct(StringComparer.Ordinal))
                byReason[reason] = byReason.GetValueOrDefault(reason) + 1;
            var place = facts(node.NodeName);
            Count(byPool, place?.Pool ?? Unplaced, status);
            Count(byZone, place?.Zone ?? Unplaced, status);
        }

        return new FleetSummary(nodes.Count, byStatus, byCondition.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, int>)c.Value, StringComparer.Ordinal),
            byReason, byPool, byZone);
    }

    /// <summary>The node's worst status: False beats Unknown beats True.</summary>
    public static string StatusOf(IEnumerable<ConditionState> conditions)
    {
        var worst = Healthy;
        foreach (var c in conditions)
        {
            if (c.Status == ConditionStatus.False)
                return Unhealthy;
            if (c.Status == ConditionStatus.Unknown)
                worst = Unknown;
        }

        return worst;
    }

    private static void Count(SortedDictionary<string, PlaceCount> places, string place, string status)
    {
        var count = places.GetValueOrDefault(place) ?? new PlaceCount(0, 0, 0);
        places[place] = count with
        {
            Nodes = count.Nodes + 1,
            Unhealthy = count.Unhealthy + (status == Unhealthy ? 1 : 0),
            Unknown = count.Unknown + (status == Unknown ? 1 : 0),
        };
    }
}

/// <summary>Nodes of one pool or zone, and how many of them are unhealthy or unknown.</summary>
public sealed record PlaceCount(int Nodes, int Unhealthy, int Unknown);

using System.Collections.Immutable;

namespace NodeHealth.Actors.Repair.Budgets;

/// <summary>
/// One pool's limits. Repair stops (in-flight repairs go on) when more than <see cref="MaxUnhealthyCount"/> nodes, or
/// more than <see cref="MaxUnhealthyPercent"/> % of a pool larger than <see cref="SmallPoolNodes"/> nodes, are unhealthy
/// (count and percent are exclusive, as in EKS). At most <see cref="MaxParallelCount"/> repairs, or
/// <see cref="MaxParallelPercent"/> % of the pool's unhealthy nodes (rounded up, at least 1), run at once.
/// </summary>
public sealed record PoolBudget(
    int? MaxUnhealthyCount,
    int? MaxUnhealthyPercent,
    int SmallPoolNodes,
    int? MaxParallelCount,
    int? MaxParallelPercent,
    string Origin)
{
    /// <summary>EKS managed node groups: stop when a group of more than 5 nodes has more than 20 % unhealthy; one repair at a time per pool.</summary>
    public static readonly PoolBudget Default = new(null, 20, 5, 1, null, "default");

    public string UnhealthyLimitText => MaxUnhealthyCount is { } count
        ? $"stop above {count} unhealthy"
        : $"stop above {MaxUnhealthyPercent} % unhealthy in pools of more than {SmallPoolNodes} nodes";

    public string ParallelLimitText => MaxParallelCount is { } count ? $"{count} at once" : $"{MaxParallelPercent} % of the unhealthy nodes at once";
}

/// <summary>
/// How nodes group into pools (the first of <see cref="PoolLabels"/> a node carries; none: the pool named
/// <see cref="NoPool"/>) and zones (<see cref="ZoneLabel"/>), each pool's budget (<see cref="EveryPool"/> unless <see cref="Pools"/> names it) and the fleet-wide parallel limit.
/// </summary>
public sealed record BudgetPolicy(
    ImmutableArray<string> PoolLabels,
    string ZoneLabel,
    PoolBudget EveryPool,
    ImmutableDictionary<string, PoolBudget> Pools,
    int MaxParallelTotal,
    string Origin)
{
    public const string NoPool = "(no pool)";
    public const string NoZone = "(no zone)";

    public static readonly BudgetPolicy Default = new(
        ["karpenter.sh/nodepool", "eks.amazonaws.com/nodegroup"],
        "topology.kubernetes.io/zone",
        PoolBudget.Default,
        ImmutableDictionary<string, PoolBudget>.Empty,
        MaxParallelTotal: 10,
        Origin: "default");

    public PoolBudget For(string pool) => Pools.TryGetValue(pool, out var budget) ? budget : EveryPool;

    public string PoolOf(NodeSnapshot node) => PoolOf(node.Labels);

    public string PoolOf(ImmutableDictionary<string, string> labels)
    {
        foreach (var label in PoolLabels)
            if (labels.TryGetValue(label, out var value) && !string.IsNullOrEmpty(value))
                return value;
        return NoPool;
    }

    public string ZoneOf(NodeSnapshot node) => ZoneOf(node.Labels);

    public string ZoneOf(ImmutableDictionary<string, string> labels) => labels.GetValueOrDefault(ZoneLabel) is { Length: > 0 } zone ? zone : NoZone;
}

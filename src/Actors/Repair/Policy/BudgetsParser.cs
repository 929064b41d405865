using System.Collections.Immutable;
using NodeHealth.Actors.Repair.Budgets;

namespace NodeHealth.Actors.Repair.Policy;

/// <summary>Validates the <c>budgets</c> section: pool and zone labels, every pool's limits, named pools' own limits.</summary>
internal static class BudgetsParser
{
    private const int MaxPools = 1000;

    public static BudgetPolicy Parse(PolicyParser parser, BudgetsEntry e)
    {
        var d = BudgetPolicy.Default;
        if (e.PoolLabels is { Count: 0 })
            throw parser.Error(e, "poolLabels is empty; name at least one label, e.g. eks.amazonaws.com/nodegroup");
        var everyPool = Limits(parser, e, PoolBudget.Default, $"budgets, {parser.Where(e)}");
        var pools = ImmutableDictionary.CreateBuilder<string, PoolBudget>(StringComparer.Ordinal);
        if (e.Pools is { Count: > MaxPools })
            throw parser.Error(e, $"{e.Pools.Count} pools; the limit is {MaxPools}");
        foreach (var entry in e.Pools ?? [])
        {
            var pool = parser.Required(entry, e, "pools");
            if (string.IsNullOrEmpty(pool.Name) || pool.Name.Length > 63)
                throw parser.Error(pool, "a pool needs name: the value of its pool label (1 to 63 characters)");
            if (pools.ContainsKey(pool.Name))
                throw parser.Error(pool, $"pool {pool.Name} is listed twice");
            pools[pool.Name] = Limits(parser, pool, everyPool, $"budgets.pools {pool.Name}, {parser.Where(pool)}");
        }

        return new BudgetPolicy(
            e.PoolLabels is null ? d.PoolLabels : [.. e.PoolLabels.Select(l => parser.LabelKey(e, "poolLabels", l))],
            e.ZoneLabel is null ? d.ZoneLabel : parser.LabelKey(e, "zoneLabel", e.ZoneLabel),
            everyPool,
            pools.ToImmutable(),
            parser.Range(e, "maxParallelTotal", e.MaxParallelTotal, d.MaxParallelTotal, 1, 100_000),
            $"budgets, {parser.Where(e)}");
    }

    /// <summary>Limits over <paramref name="over"/>: a count or a percentage replaces both of the earlier unhealthy (or parallel) limits.</summary>
    private static PoolBudget Limits(PolicyParser parser, PoolLimitsEntry e, PoolBudget over, string origin)
    {
        if (e.MaxUnhealthyCount is not null && e.MaxUnhealthyPercent is not null)
            throw parser.Error(e, "maxUnhealthyCount and maxUnhealthyPercent exclude each other (as in EKS); keep one");
        if (e.MaxParallelCount is not null && e.MaxParallelPercent is not null)
            throw parser.Error(e, "maxParallelCount and maxParallelPercent exclude each other (as in EKS); keep one");
        var unhealthyCount = parser.Range(e, "maxUnhealthyCount", e.MaxUnhealthyCount, 0, 1, 1_000_000);
        var unhealthyPercent = parser.Range(e, "maxUnhealthyPercent", e.MaxUnhealthyPercent, 0, 1, 100);
        var parallelCount = parser.Range(e, "maxParallelCount", e.MaxParallelCount, 0, 1, 100_000);
        var parallelPercent = parser.Range(e, "maxParallelPercent", e.MaxParallelPercent, 0, 1, 100);
        var changed = e.MaxUnhealthyCount is not null || e.MaxUnhealthyPercent is not null || e.SmallPoolNodes is not null
            || e.MaxParallelCount is not null || e.MaxParallelPercent is not null;
        return over with
        {
            MaxUnhealthyCount = e.MaxUnhealthyCount is not null ? unhealthyCount : e.MaxUnhealthyPercent is not null ? null : over.MaxUnhealthyCount,
            MaxUnhealthyPercent = e.MaxUnhealthyPercent is not null ? unhealthyPercent : e.MaxUnhealthyCount is not null ? null : over.MaxUnhealthyPercent,
            SmallPoolNodes = parser.Range(e, "smallPoolNodes", e.SmallPoolNodes, over.SmallPoolNodes, 0, 1_000_000),
            MaxParallelCount = e.MaxParallelCount is not null ? parallelCount : e.MaxParallelPercent is not null ? null : over.MaxParallelCount,
            MaxParallelPercent = e.MaxParallelPercent is not null ? parallelPercent : e.MaxParallelCount is not null ? null : over.MaxParallelPercent,
            Origin = changed ? origin : over.Origin,
        };
    }
}

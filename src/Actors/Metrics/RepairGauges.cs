using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Metrics;

/// <summary>The repair governor's state as gauge values: pure, so each clause is tested with literals.</summary>
public static class RepairGauges
{
    public static IReadOnlyDictionary<string, IReadOnlyList<Measured>> Measure(GovernorState state, RepairPolicy policy)
    {
        var running = state.Running.ToList();
        // Budgets as the newest decision in each pool saw them (a pool without a decision has nothing unhealthy to budget).
        var pools = state.Latest.Values.Where(d => d.Budget is not null)
            .GroupBy(d => d.Budget!.Pool, StringComparer.Ordinal)
            .Select(g => g.MaxBy(d => d.RecordedAt)!.Budget!)
            .OrderBy(b => b.Pool, StringComparer.Ordinal)
            .ToList();
        return new Dictionary<string, IReadOnlyList<Measured>>
        {
            [RepairMetrics.InFlight] = [.. running.GroupBy(r => r.Started.Pool, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new Measured(g.Count(), Pool(g.Key)))],
            [RepairMetrics.Decisions] = [.. state.Latest.Values.GroupBy(d => d.Verdict, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new Measured(g.Count(), Measured.Tag("verdict", g.Key)))],
            [RepairMetrics.Paused] = [new(state.Ledger.Pause is null ? 0 : 1)],
            [RepairMetrics.ZoneBreaker] = [.. state.Ledger.Zones.Values.OrderBy(z => z.Zone, StringComparer.Ordinal)
                .Select(z => new Measured(z.Tripped ? 1 : 0, Measured.Tag("zone", z.Zone)))],
            [RepairMetrics.PoolNodes] = [.. pools.Select(b => new Measured(b.PoolNodes, Pool(b.Pool)))],
            [RepairMetrics.PoolUnhealthy] = [.. pools.Select(b => new Measured(b.PoolUnhealthy, Pool(b.Pool)))],
            [RepairMetrics.PoolParallelLimit] = [.. pools.Select(b => new Measured(b.PoolParallelLimit, Pool(b.Pool)))],
            [RepairMetrics.FleetParallelLimit] = [new(policy.Budgets.MaxParallelTotal)],
        };
    }

    /// <summary>
    /// Every node whose latest decision denies a due repair, with when it came due: the decided fault's onset plus its
    /// wait (the decision's time when the fault is not among its findings).
    /// </summary>
    public static IReadOnlyList<(Measured Labels, DateTime DueAt)> Overdue(GovernorState state) =>
    [
        .. state.Latest.Values.Where(d => d.Verdict == nameof(RepairVerdict.Deny))
            .OrderBy(d => d.Node, StringComparer.Ordinal)
            .Select(d => (new Measured(0, new("node", d.Node), new("condition", d.Condition), new("denial", d.Denial)),
                d.Findings.OrEmpty().Where(f => f.Condition == d.Condition && f.Reason == d.Reason).Select(f => f.Since + f.Wait)
                    .DefaultIfEmpty(d.RecordedAt).Min())),
    ];

    private static KeyValuePair<string, object?> Pool(string pool) => new("pool", pool);
}

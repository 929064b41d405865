namespace NodeHealth.Actors.Repair.Budgets;

/// <summary>A pool at one moment: its nodes, how many are unhealthy (in repair included) and how many repairs run in it.</summary>
public sealed record PoolCount(string Pool, int Nodes, int Unhealthy, int InFlight)
{
    public int UnhealthyPercent => Nodes == 0 ? 0 : (int)Math.Round(100.0 * Unhealthy / Nodes);
}

/// <summary>The pool clauses of the budget, as pure functions of the pool's counts.</summary>
public static class PoolBudgets
{
    /// <summary>Why repair in this pool stops, or null when the unhealthy limit allows it (EKS: "more than", so the limit itself is allowed).</summary>
    public static string? UnhealthyStop(PoolBudget budget, PoolCount pool)
    {
        if (budget.MaxUnhealthyCount is { } count)
            return pool.Unhealthy > count
                ? $"{pool.Unhealthy} of {pool.Nodes} nodes in pool {pool.Pool} are unhealthy, more than the limit of {count}"
                : null;
        if (budget.MaxUnhealthyPercent is not { } percent || pool.Nodes <= budget.SmallPoolNodes)
            return null;
        return pool.Unhealthy * 100L > (long)percent * pool.Nodes
            ? $"{pool.Unhealthy} of {pool.Nodes} nodes in pool {pool.Pool} are unhealthy ({pool.UnhealthyPercent} %), more than {percent} % of a pool of more than {budget.SmallPoolNodes} nodes"
            : null;
    }

    /// <summary>How many repairs may run at once in the pool: a count, or a percentage of its unhealthy nodes rounded up (at least 1).</summary>
    public static int ParallelLimit(PoolBudget budget, PoolCount pool) =>
        budget.MaxParallelCount ?? Math.Max(1, (int)Math.Ceiling(pool.Unhealthy * (budget.MaxParallelPercent ?? 100) / 100.0));
}

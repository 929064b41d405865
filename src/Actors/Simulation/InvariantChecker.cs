using System.Collections.Immutable;
using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Policy;

namespace NodeHealth.Actors.Simulation;

/// <summary>
/// Checks each grant against the fleet as the simulator knows it, without asking the decider: the pool's and the
/// fleet's parallel limits, the pool's unhealthy limit, a tripped zone breaker, and the maintenance windows. A
/// violation means the real decider or ledger let through what the policy forbids; every shipped scenario must show 0.
/// </summary>
internal sealed class InvariantChecker(RepairPolicy policy)
{
    private readonly List<string> _examples = [];

    public int BudgetViolations { get; private set; }
    public int WindowViolations { get; private set; }

    /// <summary>
    /// A grant to <paramref name="node"/> at <paramref name="now"/>. <paramref name="poolNodes"/>, <paramref name="poolUnhealthy"/> and
    /// <paramref name="poolInFlight"/> count the pool before this grant (in-flight repairs of nodes that left included).
    /// </summary>
    public void Grant(NodeSnapshot node, string pool, int poolNodes, int poolUnhealthy, int poolInFlight, int fleetInFlight, bool zoneTripped, DateTimeOffset now)
    {
        var budget = policy.Budgets.For(pool);
        var parallel = budget.MaxParallelCount ?? Math.Max(1, (int)Math.Ceiling(poolUnhealthy * (budget.MaxParallelPercent ?? 100) / 100.0));
        if (poolInFlight + 1 > parallel)
            Budget($"{now:u} {node.Name}: repair {poolInFlight + 1} in pool {pool}, its parallel limit is {parallel}");
        if (fleetInFlight + 1 > policy.Budgets.MaxParallelTotal)
            Budget($"{now:u} {node.Name}: repair {fleetInFlight + 1} in the fleet, the limit is {policy.Budgets.MaxParallelTotal}");
        if (budget.MaxUnhealthyCount is { } count ? poolUnhealthy > count
            : budget.MaxUnhealthyPercent is { } percent && poolNodes > budget.SmallPoolNodes && poolUnhealthy * 100.0 > percent * (double)poolNodes)
            Budget($"{now:u} {node.Name}: pool {pool} has {poolUnhealthy} of {poolNodes} unhealthy, past its limit");
        if (zoneTripped)
            Budget($"{now:u} {node.Name}: its zone's storm breaker is tripped");
        if (!policy.MaintenanceWindows.IsDefaultOrEmpty && !policy.MaintenanceWindows.Any(w => Open(w, now)))
        {
            WindowViolations++;
            Example($"{now:u} {node.Name}: a disruptive repair outside every maintenance window");
        }
    }

    public InvariantCounters Counters() => new(BudgetViolations, WindowViolations, [.. _examples]);

    /// <summary>Minutes into the local week against each opening, written apart from MaintenanceWindow.IsOpen on purpose.</summary>
    private static bool Open(MaintenanceWindow window, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, window.TimeZone);
        var minute = (int)local.DayOfWeek * 1440 + local.Hour * 60 + local.Minute;
        foreach (var day in window.Days)
        {
            var opens = (int)day * 1440 + (int)window.Start.TotalMinutes;
            var length = (int)window.Length.TotalMinutes;
            var since = ((minute - opens) % 10080 + 10080) % 10080;
            if (since < length)
                return true;
        }

        return false;
    }

    private void Budget(string example)
    {
        BudgetViolations++;
        Example(example);
    }

    private void Example(string text)
    {
        if (_examples.Count < 5)
            _examples.Add(text);
    }
}

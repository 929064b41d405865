using System.Globalization;
using System.Text;
using NodeHealth.Actors.Simulation;

namespace NodeHealth.Coordinator.Simulation;

/// <summary>The terminal table: one column per policy, one row per measure, so policies read side by side.</summary>
public static class SimulationTable
{
    public static string Write(SimulationReport report)
    {
        var rows = Rows(report);
        var widths = Enumerable.Range(0, report.Policies.Length + 1).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Scenario {report.Scenario} ({report.Origin}): {report.Nodes} nodes, {report.Accelerators} accelerators, ")
            .Append(CultureInfo.InvariantCulture, $"{report.Days:0.##} days from {report.Start:u}, seed {report.Seed}, decisions every {report.DecideEvery}\n\n");
        for (var r = 0; r < rows.Count; r++)
        {
            text.Append(rows[r][0].PadRight(widths[0]));
            for (var c = 1; c < rows[r].Length; c++)
                text.Append("  ").Append(rows[r][c].PadLeft(widths[c]));
            text.Append('\n');
            if (r == 0)
                text.Append(new string('-', widths.Sum() + 2 * (widths.Length - 1))).Append('\n');
        }

        var broken = report.Policies.Where(p => p.Invariants.BudgetViolations + p.Invariants.MaintenanceWindowViolations > 0).ToList();
        foreach (var policy in broken)
            text.Append(CultureInfo.InvariantCulture, $"\nINVARIANT VIOLATED by {policy.Policy}: {string.Join("; ", policy.Invariants.Examples)}\n");
        return text.ToString();
    }

    /// <summary>The header row (policy names) and one row per measure; the HTML report shows the same rows.</summary>
    public static List<string[]> Rows(SimulationReport report)
    {
        var p = report.Policies;
        string[] Row(string name, Func<PolicyResult, string> cell) => [name, .. p.Select(cell)];
        string N(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        string Count(PolicyResult r, string key, IReadOnlyDictionary<string, int> map) => map.GetValueOrDefault(key).ToString(CultureInfo.InvariantCulture);
        return
        [
            Row("", r => r.Policy),
            Row("availability (serving node-hours / total)", r => N(r.Availability * 100, "0.000") + " %"),
            Row("lowest serving nodes", r => $"{r.MinServingNodes}/{report.Nodes}"),
            Row("accelerator-hours lost", r => N(r.AcceleratorHoursLost, "N0")),
            Row("faults injected", r => N(r.FaultsInjected, "N0")),
            Row("repairs started", r => N(r.RepairsStarted, "N0")),
            Row("  reboot", r => Count(r, "Reboot", r.RepairsByAction)),
            Row("  replace", r => Count(r, "Replace", r.RepairsByAction)),
            Row("  succeeded / failed", r => $"{Count(r, "Succeeded", r.RepairOutcomes)} / {Count(r, "Failed", r.RepairOutcomes)}"),
            Row("unnecessary repairs (would have cleared)", r => N(r.UnnecessaryRepairs, "N0")),
            Row("repairs blocked by budgets (outages)", r => N(r.RepairsBlocked, "N0")),
            .. new[] { "PoolUnhealthy", "PoolParallel", "FleetParallel", "ZoneStorm", "MaintenanceWindow" }
                .Where(d => p.Any(r => r.BlockedBy.ContainsKey(d)))
                .Select(d => Row($"  by {d}", r => Count(r, d, r.BlockedBy))),
            Row("zone storm breaker trips", r => N(r.BreakerTrips, "N0")),
            Row("time to repair p50 / p90 (h)", r => r.TimeToRepair.Count == 0 ? "-" : $"{N(r.TimeToRepair.P50Hours, "0.0")} / {N(r.TimeToRepair.P90Hours, "0.0")}"),
            Row("time to repair p99 / max (h)", r => r.TimeToRepair.Count == 0 ? "-" : $"{N(r.TimeToRepair.P99Hours, "0.0")} / {N(r.TimeToRepair.MaxHours, "0.0")}"),
            Row("outages that cleared by themselves", r => N(r.SelfClearedOutages, "N0")),
            Row("INVARIANT budget violations (must be 0)", r => N(r.Invariants.BudgetViolations, "N0")),
            Row("INVARIANT repairs outside windows (must be 0)", r => N(r.Invariants.MaintenanceWindowViolations, "N0")),
            Row("decision rounds / node evaluations", r => $"{N(r.Rounds, "N0")} / {N(r.NodeEvaluations, "N0")}"),
        ];
    }
}

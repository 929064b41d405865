using System.Text;
using NodeHealth.Coordinator.Repair;
using static NodeHealth.Coordinator.Dashboard.Html;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>
/// Budgets as gauges and the storm breaker per zone, as the governor's latest decisions saw them (each decision records
/// the budgets it was judged by; the newest per pool and per zone is shown).
/// </summary>
public static class RepairBudgets
{
    public static string Render(RepairListView repairs)
    {
        var budgets = repairs.Decisions.Where(d => d.Explanation.Budget is not null)
            .OrderByDescending(d => d.DecidedAt).Select(d => d.Explanation.Budget!).ToList();
        var html = new StringBuilder("<section aria-labelledby=\"budgets-title\"><h2 id=\"budgets-title\">Budgets</h2>");
        if (budgets.Count == 0)
            return html.Append("<p class=\"empty\">No decision has been judged against a budget yet (budgets show once a node is unhealthy).</p></section>").ToString();

        html.Append("<ul class=\"gauges\">");
        foreach (var pool in budgets.GroupBy(b => b.Pool).Select(g => g.First()).OrderBy(b => b.Pool, StringComparer.Ordinal))
        {
            html.Append($"<li data-pool=\"{Text(pool.Pool)}\"><h3>Pool {Text(pool.Pool)}</h3>");
            html.Append(Gauge($"unhealthy-{pool.Pool}", "Unhealthy nodes", pool.PoolUnhealthy, pool.PoolNodes, $"{pool.PoolUnhealthy} of {pool.PoolNodes} (limit {pool.PoolUnhealthyLimit})"));
            html.Append(Gauge($"parallel-{pool.Pool}", "Repairs running", pool.PoolInFlight, Math.Max(pool.PoolParallelLimit, 1), $"{pool.PoolInFlight} of {pool.PoolParallelLimit} at once"));
            html.Append("</li>");
        }

        var fleet = budgets[0];
        html.Append($"<li data-pool=\"(fleet)\"><h3>Whole fleet</h3>{Gauge("parallel-fleet", "Repairs running", fleet.FleetInFlight, Math.Max(fleet.FleetParallelLimit, 1), $"{fleet.FleetInFlight} of {fleet.FleetParallelLimit} at once")}" +
                    $"<p>Maintenance window: {Text(fleet.MaintenanceWindow)}</p></li></ul>");

        var zones = budgets.GroupBy(b => b.Zone).Select(g => g.First()).OrderBy(b => b.Zone, StringComparer.Ordinal)
            .Select(b =>
            {
                var tripped = b.ZoneBreaker.StartsWith("tripped", StringComparison.Ordinal);
                var resume = tripped
                    ? $"<form class=\"action\" data-method=\"POST\" data-url=\"/api/repairs/zones/{Segment(b.Zone)}/resume\" data-by=\"true\" data-what=\"Close the breaker of zone {Text(b.Zone)}\"><button type=\"submit\">Resume zone</button></form>"
                    : "—";
                return $"<tr data-zone=\"{Text(b.Zone)}\" data-breaker=\"{(tripped ? "tripped" : "closed")}\"><th scope=\"row\">{Text(b.Zone)}</th><td class=\"breaker\">{Text(b.ZoneBreaker)}</td><td>{resume}</td></tr>";
            }).ToList();
        html.Append("<h3 id=\"breakers-title\">Storm breaker per zone</h3>");
        html.Append(Table("Storm breaker per zone", ["Zone", "Breaker", "Operator"], zones, "No zone seen yet."));
        return html.Append("</section>").ToString();
    }

    private static string Gauge(string id, string label, int value, int max, string words) =>
        $"<p class=\"gauge\"><label for=\"gauge-{Text(id)}\">{Text(label)}</label> <meter id=\"gauge-{Text(id)}\" min=\"0\" max=\"{max}\" value=\"{Math.Min(value, max)}\" " +
        $"high=\"{Math.Max(max - 1, 0)}\" optimum=\"0\">{Text(words)}</meter> <span>{Text(words)}</span></p>";
}

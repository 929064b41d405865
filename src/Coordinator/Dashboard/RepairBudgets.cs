using System.Text;
using NodeHealth.Coordinator.Repair;
using static NodeHealth.Coordinator.Dashboard.Html;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>Budgets as gauges (each pool, the fleet) and the storm breaker per zone, counted now as the governor counts them.</summary>
public static class RepairBudgets
{
    public static string Render(RepairBudgetsView? budgets)
    {
        var html = new StringBuilder("<section aria-labelledby=\"budgets-title\"><h2 id=\"budgets-title\">Budgets</h2>");
        if (budgets is null)
            return html.Append("<p class=\"problem\" role=\"alert\">The budgets are unavailable: the repair governor or the fleet view did not answer in time; the page retries.</p></section>").ToString();

        html.Append("<ul class=\"gauges\">");
        foreach (var (pool, index) in budgets.Pools.Select((p, i) => (p, i)))
        {
            html.Append($"<li data-pool=\"{Text(pool.Pool)}\"{(pool.Stopped is null ? "" : " class=\"stopped\"")}><h3>Pool {Text(pool.Pool)}</h3>");
            html.Append(Gauge($"unhealthy-{index}", "Unhealthy nodes", pool.Unhealthy, Math.Max(pool.Nodes, 1), $"{pool.Unhealthy} of {pool.Nodes}; {pool.UnhealthyLimit}"));
            html.Append(Gauge($"running-{index}", "Repairs running", pool.InFlight, Math.Max(pool.ParallelLimit, 1), $"{pool.InFlight} of {pool.ParallelLimit} at once"));
            if (pool.Stopped is { } stopped)
                html.Append($"<p class=\"problem\">Repair stopped: {Text(stopped)}</p>");
            html.Append($"<p class=\"hint\">Budget from {Text(pool.Origin)}</p></li>");
        }

        html.Append($"<li data-pool=\"(fleet)\"><h3>Whole fleet</h3>{Gauge("running-fleet", "Repairs running", budgets.FleetInFlight, Math.Max(budgets.FleetParallelLimit, 1), $"{budgets.FleetInFlight} of {budgets.FleetParallelLimit} at once")}</li></ul>");
        if (budgets.Pools.Count == 0)
            html.Append("<p class=\"empty\">No pool yet: no agent has reported.</p>");

        var zones = budgets.Zones.Select(z =>
        {
            var tripped = z.State == "Tripped";
            var state = tripped
                ? $"<strong>Tripped</strong>{(z.TrippedAt is { } at ? $" at {Iso(at)}" : "")}{(z.Cause is { Length: > 0 } cause ? $": {Text(cause)}" : "")}"
                : $"Closed{(z.ResumedAt is { } resumed ? $" (resumed {Iso(resumed)})" : "")}";
            var resume = tripped
                ? $"<form class=\"action\" data-method=\"POST\" data-url=\"/api/repairs/zones/{Segment(z.Zone)}/resume\" data-by=\"true\" data-what=\"Close the breaker of zone {Text(z.Zone)}\"><button type=\"submit\">Resume zone {Text(z.Zone)}</button></form>"
                : "—";
            return $"<tr data-zone=\"{Text(z.Zone)}\" data-breaker=\"{(tripped ? "tripped" : "closed")}\"><th scope=\"row\">{Text(z.Zone)}</th><td class=\"breaker\">{state}</td><td>{resume}</td></tr>";
        }).ToList();
        html.Append("<h3>Storm breaker per zone</h3>");
        html.Append(Table("Storm breaker per zone", ["Zone", "Breaker", "Operator"], zones, "No zone breaker has tripped yet (zones appear once their breaker has been judged)."));
        return html.Append("</section>").ToString();
    }

    private static string Gauge(string key, string label, int value, int max, string words)
    {
        var id = "gauge-" + key;
        return $"<p class=\"gauge\"><label for=\"{id}\">{Text(label)}</label> <meter id=\"{id}\" min=\"0\" max=\"{max}\" value=\"{Math.Min(value, max)}\" " +
               $"high=\"{Math.Max(max - 1, 0)}\" optimum=\"0\">{Text(words)}</meter> <span>{Text(words)}</span></p>";
    }
}

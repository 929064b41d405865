using System.Globalization;
using System.Net;
using System.Text;
using NodeHealth.Actors.Simulation;

namespace NodeHealth.Coordinator.Simulation;

/// <summary>The report as one self-contained HTML file: inline CSS, inline SVG charts, the table; no script, no fonts, nothing fetched.</summary>
public static class SimulationHtml
{
    private const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:920px;color:#222;padding:0 12px}
        h1{font-size:22px;margin:0 0 4px}p.sub{color:#555;margin:0 0 18px}
        .verdict{padding:10px 12px;border-radius:6px;margin:12px 0;background:#eef6ee;border:1px solid #9c9}
        .verdict.bad{background:#fbeaea;border-color:#d99}
        figure.chart{margin:18px 0;border:1px solid #ddd;border-radius:6px;padding:8px 8px 4px}
        figcaption{font-weight:600;margin:0 0 4px}svg{width:100%;height:auto;font-size:11px;fill:#444}
        svg .grid{stroke:#eee}svg .axis{stroke:#999}
        .legend span{display:inline-block;margin:2px 12px 2px 0}.legend i{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-1px;border-radius:2px}
        table{border-collapse:collapse;width:100%;margin:12px 0}td,th{border-bottom:1px solid #eee;padding:4px 8px;text-align:right}
        td:first-child,th:first-child{text-align:left}th{background:#f6f6f6}tr.inv td{font-weight:600}
        """;

    public static string Write(SimulationReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>Repair policy simulation: ").Append(WebUtility.HtmlEncode(report.Scenario)).Append("</title><style>").Append(Style).Append("</style></head><body>")
            .Append("<h1>Repair policy simulation: ").Append(WebUtility.HtmlEncode(report.Scenario)).Append("</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"sub\">{report.Nodes:N0} nodes, {report.Accelerators:N0} accelerators, {report.Days:0.##} days from {report.Start:u}; seed {report.Seed}; decisions every {report.DecideEvery}; scenario {WebUtility.HtmlEncode(report.Origin)}</p>");
        html.Append(Verdict(report));
        html.Append(SvgCharts.Capacity(report)).Append(Table(report)).Append(SvgCharts.Repairs(report)).Append(SvgCharts.TimeToRepair(report));
        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>One line a person reads first: which policy kept most capacity, and whether every invariant held.</summary>
    private static string Verdict(SimulationReport report)
    {
        var best = report.Policies.OrderByDescending(p => p.Availability).ThenBy(p => p.Policy, StringComparer.Ordinal).First();
        var broken = report.Policies.Where(p => p.Invariants.BudgetViolations + p.Invariants.MaintenanceWindowViolations > 0).ToList();
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"Highest availability: <b>{WebUtility.HtmlEncode(best.Policy)}</b> ({best.Availability * 100:0.000} %). ");
        text.Append(broken.Count == 0
            ? "Invariants held for every policy: no budget violation, no disruptive repair outside a maintenance window."
            : $"INVARIANTS VIOLATED by {WebUtility.HtmlEncode(string.Join(", ", broken.Select(b => b.Policy)))}: {WebUtility.HtmlEncode(string.Join("; ", broken.SelectMany(b => b.Invariants.Examples)))}");
        return $"<div class=\"verdict{(broken.Count == 0 ? "" : " bad")}\">{text}</div>";
    }

    private static string Table(SimulationReport report)
    {
        var rows = SimulationTable.Rows(report);
        var html = new StringBuilder("<table><thead><tr><th>measure</th>");
        foreach (var policy in report.Policies)
            html.Append("<th>").Append(WebUtility.HtmlEncode(policy.Policy)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var cells in rows.Skip(1))
        {
            html.Append(cells[0].StartsWith("INVARIANT", StringComparison.Ordinal) ? "<tr class=\"inv\">" : "<tr>");
            foreach (var cell in cells)
                html.Append("<td>").Append(WebUtility.HtmlEncode(cell.Trim())).Append("</td>");
            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }
}

using System.Text;
using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.Repair;
using static NodeHealth.Coordinator.Dashboard.Html;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>The fleet at a glance: counts, the heat map by pool and zone, and the nodes that need attention first.</summary>
public static class FleetPage
{
    public static string Render(IReadOnlyList<NodeSummaryView>? nodes, RepairListView? repairs, RepairBudgetsView? budgets, DateTime now)
    {
        if (nodes is null)
            return "<h1>Fleet</h1><p class=\"problem\" role=\"alert\">The fleet view did not answer in time; the page retries.</p>";
        var picture = FleetPicture.From(nodes, repairs, budgets);
        var html = new StringBuilder("<h1>Fleet</h1>");
        html.Append(Banners(repairs, now));
        html.Append(Counts(picture, repairs));
        html.Append(Attention(picture, now));
        html.Append(HeatMap(picture));
        return html.ToString();
    }

    /// <summary>What stops all repair, above everything else.</summary>
    public static string Banners(RepairListView? repairs, DateTime now)
    {
        if (repairs is null)
            return "<p class=\"problem\" role=\"alert\">The repair governor did not answer in time (it moves to another coordinator on failover); the page retries.</p>";
        var html = new StringBuilder();
        if (repairs.Paused is { } pause)
            html.Append($"<p class=\"banner paused\" data-paused=\"true\">Repairs are paused by {Text(pause.By)} since {Time(pause.Since, now)}{(pause.Note is { Length: > 0 } note ? $": {Text(note)}" : "")}.</p>");
        if (repairs.PolicyProblem is { } problem)
            html.Append($"<p class=\"banner problem\">The last repair policy edit was refused (the previous policy stays in force): {Text(problem)}</p>");
        return html.ToString();
    }

    private static string Counts(FleetPicture picture, RepairListView? repairs)
    {
        string Count(string key, string label, int value, bool alarm, string? href = null) =>
            $"<li class=\"count{(alarm && value > 0 ? " alarm" : "")}\" data-count=\"{key}\"><span class=\"value\">{value}</span> " +
            (href is null ? $"<span class=\"label\">{label}</span>" : $"<a class=\"label\" href=\"{href}\">{label}</a>") + "</li>";
        var tripped = picture.TrippedZones.Count == 0 ? "" : $" ({Text(string.Join(", ", picture.TrippedZones))})";
        return "<section aria-labelledby=\"counts-title\"><h2 id=\"counts-title\" class=\"visually-hidden\">Counts</h2><ul class=\"counts\">" +
               Count("nodes", "nodes", picture.Nodes, false) +
               Count("unhealthy", "unhealthy", picture.Unhealthy, true) +
               Count("unknown", "unknown (agent silent)", picture.UnknownNodes, true) +
               Count("repairing", "repairing", picture.Repairing, false, DashboardRoutes.Repairs) +
               Count("paused-zones", "zones paused by the storm breaker" + tripped, picture.TrippedZones.Count, true, DashboardRoutes.Repairs) +
               $"<li class=\"count mode\" data-count=\"mode\"><span class=\"value\">{Text(repairs?.Mode ?? "?")}</span> <span class=\"label\">repair mode</span></li>" +
               "</ul></section>";
    }

    private static string Attention(FleetPicture picture, DateTime now)
    {
        var html = new StringBuilder("<section aria-labelledby=\"attention-title\"><h2 id=\"attention-title\">Needs attention</h2>");
        if (picture.Attention.Count == 0)
            return html.Append("<p class=\"empty\" data-attention=\"none\">Every node is healthy.</p></section>").ToString();
        html.Append("<ol class=\"attention\">");
        foreach (var item in picture.Attention)
        {
            html.Append($"<li class=\"level-{item.Level}\" data-node=\"{Text(item.Node)}\" data-level=\"{item.Level}\">");
            html.Append($"<a class=\"node-link\" href=\"{DashboardRoutes.Node(item.Node)}\">{Text(item.Node)}</a> <span class=\"level\">{item.Level.Words()}</span>");
            html.Append("<ul class=\"why\">");
            foreach (var c in item.Why)
                html.Append($"<li><strong>{Text(c.Type)} {Text(c.Status)}</strong>: {Text(c.Reason)}{(c.Message is { Length: > 0 } m ? $" — {Text(m)}" : "")}</li>");
            html.Append("</ul>");
            html.Append($"<p class=\"since\">Since {Time(item.Since, now)}</p>");
            html.Append(OutlookHtml(item.Outlook, now));
            html.Append("</li>");
        }

        return html.Append("</ol></section>").ToString();
    }

    /// <summary>When repair will act (a countdown) or why it will not; shared with the node page.</summary>
    public static string OutlookHtml(RepairOutlook outlook, DateTime now)
    {
        var when = outlook.ActsAt is { } at
            ? outlook.Kind == "wait" ? $" — acts {Countdown(at, now)}" : $" — until {Countdown(at, now)}"
            : "";
        var detail = outlook.Detail is { Length: > 0 } d ? $"<span class=\"detail\">{Text(d)}</span>" : "";
        return $"<p class=\"outlook outlook-{Text(outlook.Kind)}\" data-outlook=\"{Text(outlook.Kind)}\"><span class=\"label\">Repair:</span> {Text(outlook.Text)}{when}{detail}</p>";
    }

    private static string HeatMap(FleetPicture picture)
    {
        var html = new StringBuilder("<section aria-labelledby=\"heatmap-title\"><h2 id=\"heatmap-title\">Nodes by pool and zone</h2>");
        if (picture.Nodes == 0)
            return html.Append("<p class=\"empty\">No agent has reported yet.</p></section>").ToString();
        html.Append(Legend());
        html.Append("<div class=\"scroll\"><table class=\"heatmap\"><caption class=\"visually-hidden\">Each tile is a node, coloured by its worst condition</caption><thead><tr><th scope=\"col\">Pool \\ zone</th>");
        foreach (var zone in picture.Zones)
            html.Append($"<th scope=\"col\">{Text(zone)}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var pool in picture.Pools)
        {
            html.Append($"<tr><th scope=\"row\">{Text(pool)}</th>");
            foreach (var zone in picture.Zones)
            {
                var cell = picture.Cell(pool, zone);
                if (cell is null)
                {
                    html.Append("<td class=\"cell empty-cell\"><span class=\"visually-hidden\">no nodes</span></td>");
                    continue;
                }

                html.Append($"<td class=\"cell\"><p class=\"cell-count\">{cell.Tiles.Count} node{(cell.Tiles.Count == 1 ? "" : "s")}{(cell.Unhealthy > 0 ? $", <strong>{cell.Unhealthy} unhealthy</strong>" : "")}</p><ul class=\"tiles\">");
                foreach (var tile in cell.Tiles)
                    html.Append($"<li><a class=\"tile level-{tile.Level}{(tile.Repairing ? " repairing" : "")}\" href=\"{DashboardRoutes.Node(tile.Name)}\" " +
                                $"data-node=\"{Text(tile.Name)}\" data-level=\"{tile.Level}\" data-repairing=\"{(tile.Repairing ? "true" : "false")}\" title=\"{Text(tile.Summary)}\">" +
                                $"<span class=\"visually-hidden\">{Text(tile.Summary)}{(tile.Repairing ? " (repairing)" : "")}</span></a></li>");
                html.Append("</ul></td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table></div></section>").ToString();
    }

    private static string Legend() =>
        "<ul class=\"legend\" aria-label=\"Legend\">" +
        string.Concat(new[] { NodeHealthLevel.False, NodeHealthLevel.Unknown, NodeHealthLevel.True, NodeHealthLevel.None }
            .Select(l => $"<li><span class=\"tile level-{l}\" aria-hidden=\"true\"></span> {l.Words()}</li>")) +
        "<li><span class=\"tile level-True repairing\" aria-hidden=\"true\"></span> repairing</li></ul>";
}

using System.Text;
using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.History;
using NodeHealth.Coordinator.Kubernetes.Nodes;
using NodeHealth.Coordinator.Repair;
using static NodeHealth.Coordinator.Dashboard.Html;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>One node: its conditions and active faults, what repair will do, its repair history, findings and events, and the operator's actions.</summary>
public static class NodePage
{
    private const int Shown = 50;

    public static string Missing(string name, string why) =>
        $"<h1>Node {Text(name)}</h1><p class=\"problem\" role=\"alert\">Node '{Text(name)}' {Text(why)}.</p><p><a href=\"{DashboardRoutes.Fleet}\">Back to the fleet</a></p>";

    public static string Render(NodeView node, NodeFacts? facts, RepairListView? repairs, IReadOnlyList<TimelineEntry> timeline, DateTime now)
    {
        var level = NodeHealthLevels.Worst(node.Conditions);
        var html = new StringBuilder();
        html.Append($"<h1>Node {Text(node.Name)} <span class=\"badge level-{level}\" data-level=\"{level}\">{level.Words()}</span></h1>");
        html.Append(Facts(node, facts, now));
        html.Append(FleetPage.Banners(repairs, now));
        html.Append("<section aria-labelledby=\"repair-title\"><h2 id=\"repair-title\">Repair</h2>");
        html.Append(FleetPage.OutlookHtml(RepairOutlook.For(node.Name, level, repairs), now));
        html.Append(RepairsPage.Approval(repairs, node.Name, now));
        html.Append(NodePauses.OfNode(repairs, node.Name, now));
        html.Append(RepairsPage.InFlight(repairs?.Repairs.Where(r => r.Node == node.Name && r.State == "InFlight").ToList() ?? [], now, "No repair is running on this node."));
        html.Append("</section>");
        html.Append(Conditions(node, now));
        html.Append(ActiveFaults(node, now));
        html.Append(Actions(node.Name));
        html.Append("<section aria-labelledby=\"history-title\"><h2 id=\"history-title\">Repair history</h2>");
        html.Append(RepairsPage.History(repairs?.Repairs.Where(r => r.Node == node.Name && r.State != "InFlight").ToList() ?? [], now, "This node was never repaired (in the governor's retained history)."));
        html.Append("</section>");
        html.Append(Timeline(node.Name, timeline, now));
        html.Append(Findings(node, now));
        html.Append(Events(node, now));
        html.Append(Monitors(node));
        return html.ToString();
    }

    private static string Facts(NodeView node, NodeFacts? facts, DateTime now)
    {
        var items = new List<string>
        {
            $"<dt>Last update</dt><dd>{(node.LastUpdated is { } at ? Time(at, now) : "never")}</dd>",
            $"<dt>Pool</dt><dd>{Text(facts?.Pool ?? "—")}</dd>",
            $"<dt>Zone</dt><dd>{Text(facts?.Zone ?? "—")}</dd>",
            $"<dt>Instance type</dt><dd>{Text(facts?.InstanceType ?? "—")}</dd>",
            $"<dt>Cordoned</dt><dd>{(facts is null ? "— (no Kubernetes connection)" : facts.Cordoned ? "yes" : "no")}</dd>",
        };
        var html = "<dl class=\"facts\">" + string.Concat(items) + "</dl>";
        if (node.AgentSilence is { } silence)
            html += $"<p class=\"problem\" role=\"alert\">The agent is silent: last heard {Time(silence.LastHeardAt, now)}, lease {silence.LeaseSeconds:0}s; its conditions are Unknown.</p>";
        if (node.NodeObject?.DeletedAt is { } deleted)
            html += $"<p class=\"banner\">The Node object was deleted {Time(deleted, now)} ({Text(node.NodeObject.DeletedBecause)}); this node is forgotten after {(node.NodeObject.ForgottenAfter is { } f ? Time(f, now) : "its retention")}.</p>";
        return html;
    }

    private static string Conditions(NodeView node, DateTime now) =>
        "<section aria-labelledby=\"conditions-title\"><h2 id=\"conditions-title\">Conditions</h2>" +
        Table("Conditions as published", ["Condition", "Status", "Reason", "Message", "Since"],
            [.. node.Conditions.Select(c => $"<tr class=\"status-{Text(c.Status)}\" data-condition=\"{Text(c.Type)}\" data-status=\"{Text(c.Status)}\">" +
                                            $"<th scope=\"row\">{Text(c.Type)}</th><td><span class=\"status\">{Text(c.Status)}</span></td><td>{Text(c.Reason)}</td><td>{Text(c.Message)}</td><td>{Time(c.LastTransitionTime, now)}</td></tr>")],
            "No condition yet: the agent's monitors have not reported.") + "</section>";

    private static string ActiveFaults(NodeView node, DateTime now)
    {
        var rows = node.Conditions.SelectMany(c => c.ActiveFaults.Select(f => (Condition: c.Type, Fault: f)))
            .Select(x => $"<tr data-fault=\"{Text(x.Condition)}/{Text(x.Fault.Reason)}\"><th scope=\"row\">{Text(x.Fault.Reason)}</th><td>{Text(x.Condition)}</td><td>{Text(x.Fault.Message)}</td>" +
                         $"<td>{Time(x.Fault.Since, now)}</td><td>{Time(x.Fault.LastSeen, now)}</td><td>{x.Fault.Count}</td><td>{Text(x.Fault.Recovery)}</td><td>{Text(x.Fault.Repair)}</td>" +
                         $"<td>{ClearForm(node.Name, x.Condition, x.Fault.Reason)}</td></tr>")
            .ToList();
        return "<section aria-labelledby=\"faults-title\"><h2 id=\"faults-title\">Active faults</h2>" +
               Table("Active faults", ["Reason", "Condition", "Message", "Since", "Last seen", "Count", "Clears by", "Repair", "Operator"], rows, "No active fault.") +
               "</section>";
    }

    private static string ClearForm(string node, string condition, string reason) =>
        $"<form class=\"action\" data-method=\"DELETE\" data-url=\"/api/nodes/{Segment(node)}/conditions/{Segment(condition)}/faults/{Segment(reason)}\" data-what=\"Clear {Text(reason)} on {Text(node)}\">" +
        $"<label>Note <input name=\"note\" maxlength=\"{NodeApi.MaxNoteLength}\" size=\"12\"></label> <button type=\"submit\">Clear {Text(reason)}</button></form>";

    private static string Actions(string node) =>
        "<section aria-labelledby=\"actions-title\"><h2 id=\"actions-title\">Operator actions</h2>" +
        "<p>These need the operator token (top of the page). Pausing or resuming all repairs is on the <a href=\"" + DashboardRoutes.Repairs + "\">Repairs</a> page.</p>" +
        $"<form class=\"action\" data-method=\"POST\" data-url=\"/api/nodes/{Segment(node)}/reboot\" data-fresh-id=\"id\" data-what=\"Reboot {Text(node)}\">" +
        "<button type=\"submit\" class=\"danger\">Reboot this node now</button> <span class=\"hint\">through its agent; no repair budget is consulted</span></form></section>";

    /// <summary>What happened to the node, newest first: findings, transitions, clearings, boots, reboots and repairs.</summary>
    private static string Timeline(string node, IReadOnlyList<TimelineEntry> timeline, DateTime now) =>
        "<section aria-labelledby=\"timeline-title\"><h2 id=\"timeline-title\">Timeline</h2>" +
        Table($"The {timeline.Count} newest entries of the retained history, newest first (all of it: GET /api/nodes/{node}/timeline)",
            ["When", "What", "Condition", "Reason", "Change", "Detail"],
            [.. timeline.Select(e => $"<tr class=\"timeline-{Text(e.Kind)}\" data-kind=\"{Text(e.Kind)}\"><td>{Time(e.At, now)}</td><td>{Text(e.Kind)}</td>" +
                                     $"<td>{Text(e.Condition ?? "")}</td><td>{Text(e.Reason ?? "")}</td><td>{(e.From is null && e.To is null ? "" : $"{Text(e.From)} → {Text(e.To)}")}</td><td>{Text(e.Detail)}</td></tr>")],
            "Nothing retained yet.") + "</section>";

    private static string Findings(NodeView node, DateTime now) =>
        "<section aria-labelledby=\"findings-title\"><h2 id=\"findings-title\">Recent findings</h2>" +
        Table($"The {Math.Min(Shown, node.RecentFindings.Count)} most recent findings, newest first", ["Observed", "Severity", "Condition", "Reason", "Message", "Source", "Count"],
            [.. node.RecentFindings.Take(Shown).Select(f => $"<tr class=\"severity-{Text(f.Severity)}\">" +
                $"<td>{Time(f.ObservedAt, now)}</td><td>{Text(f.Severity)}</td><td>{Text(f.Condition)}</td><td>{Text(f.Reason)}</td><td>{Text(f.Message)}</td><td>{Text(f.Source)}</td><td>{f.Count}</td></tr>")],
            "No findings recorded.") + "</section>";

    private static string Events(NodeView node, DateTime now) =>
        "<section aria-labelledby=\"events-title\"><h2 id=\"events-title\">Recent events</h2>" +
        Table($"The {Math.Min(Shown, node.RecentEvents.Count)} most recent events, newest first", ["Last", "Type", "Condition", "Message", "Count"],
            [.. node.RecentEvents.Take(Shown).Select(e =>
                Row(Time(e.LastTimestamp, now), Text(e.Type), Text(e.Condition), Text(e.Message), e.Count.ToString()))],
            "No events recorded.") + "</section>";

    private static string Monitors(NodeView node) =>
        "<section aria-labelledby=\"monitors-title\"><h2 id=\"monitors-title\">Agent monitors</h2>" +
        Table("What each monitor of the agent reports", ["Condition", "State", "Reason", "Detail"],
            [.. node.Monitors.Select(m => Row(Text(m.Condition), Text(m.State), Text(m.Reason), Text(m.Detail)))],
            "The agent reported no monitors.") + "</section>";
}

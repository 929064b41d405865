using System.Text;
using NodeHealth.Coordinator.Repair;
using static NodeHealth.Coordinator.Dashboard.Html;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>Repairs: the pause (all repairs, and the nodes paused one by one), repairs in progress with what they do now, the queue of decisions, budgets, breakers per zone, and history.</summary>
public static class RepairsPage
{
    public static string Render(RepairListView? repairs, RepairBudgetsView? budgets, DateTime now)
    {
        var html = new StringBuilder("<h1>Repairs</h1>");
        if (repairs is null)
            return html.Append(FleetPage.Banners(null, now)).ToString();
        html.Append(FleetPage.Banners(repairs, now));
        html.Append($"<dl class=\"facts\"><dt>Mode</dt><dd data-mode=\"{Text(repairs.Mode)}\">{Text(repairs.Mode)}{ModeNote(repairs.Mode)}</dd>" +
                    $"<dt>Policy</dt><dd>{Text(repairs.Policy)}</dd></dl>");
        html.Append(Pause(repairs, now));
        html.Append("<section aria-labelledby=\"running-title\"><h2 id=\"running-title\">In progress</h2>");
        html.Append(InFlight([.. repairs.Repairs.Where(r => r.State == "InFlight")], now, "No repair is running."));
        html.Append("</section>");
        html.Append(Queue(repairs, now));
        html.Append(RepairBudgets.Render(budgets));
        html.Append("<section aria-labelledby=\"history-title\"><h2 id=\"history-title\">History</h2>");
        html.Append(History([.. repairs.Repairs.Where(r => r.State != "InFlight")], now, "No repair has ended yet."));
        return html.Append("</section>").ToString();
    }

    private static string ModeNote(string mode) => mode switch
    {
        "DryRun" => " — decisions are recorded and shown; nothing is touched",
        "Off" => " — no decisions: conditions only, repair is left to others",
        "On" => " — repairs are carried out",
        _ => "",
    };

    private static string Pause(RepairListView repairs, DateTime now) =>
        "<section aria-labelledby=\"pause-title\"><h2 id=\"pause-title\">Pause</h2>" +
        (repairs.Paused is null
            ? "<p data-paused=\"false\">Repairs are not paused.</p>" +
              "<form class=\"action\" data-method=\"POST\" data-url=\"/api/repairs/pause\" data-by=\"true\" data-what=\"Pause all repairs\">" +
              "<label>Why <input name=\"note\" maxlength=\"500\" size=\"30\"></label> <button type=\"submit\" class=\"danger\">Pause all repairs</button>" +
              " <span class=\"hint\">no new repair starts; running ones go on</span></form>"
            : "<form class=\"action\" data-method=\"POST\" data-url=\"/api/repairs/resume\" data-by=\"true\" data-what=\"Resume repairs\">" +
              "<button type=\"submit\">Resume repairs</button></form>") +
        NodePauses.Table(repairs, now) +
        "</section>";

    /// <summary>Running repairs with the step they are in ('now') and a cancel for each.</summary>
    public static string InFlight(IReadOnlyList<RepairRunView> runs, DateTime now, string empty) =>
        Table("Repairs in progress", ["Node", "Action", "Why", "Started", "Now", "Steps done", "Operator"],
            [.. runs.Select(r => $"<tr data-repair=\"{Text(r.Id)}\" data-state=\"{Text(r.State)}\">" +
                $"<th scope=\"row\"><a href=\"{DashboardRoutes.Node(r.Node)}\">{Text(r.Node)}</a></th><td>{Text(r.Action)}</td><td>{Text(r.Condition)}/{Text(r.Reason)}</td>" +
                $"<td>{Time(r.StartedAt, now)}</td><td class=\"now\">{Text(r.Now ?? "—")}</td><td>{Steps(r, now)}</td>" +
                $"<td><form class=\"action\" data-method=\"POST\" data-url=\"/api/repairs/{Segment(r.Id)}/cancel\" data-by=\"true\" data-what=\"Cancel repair {Text(r.Id)}\">" +
                "<label>Why <input name=\"note\" maxlength=\"500\" size=\"12\"></label> <button type=\"submit\">Cancel</button></form></td></tr>")],
            empty);

    public static string History(IReadOnlyList<RepairRunView> runs, DateTime now, string empty) =>
        Table("Repairs that ended, newest first", ["Node", "Action", "Why", "Started", "Ended", "Outcome", "Steps"],
            [.. runs.Select(r => $"<tr data-repair=\"{Text(r.Id)}\" data-state=\"{Text(r.State)}\" class=\"state-{Text(r.State)}\">" +
                $"<th scope=\"row\"><a href=\"{DashboardRoutes.Node(r.Node)}\">{Text(r.Node)}</a></th><td>{Text(r.Action)}</td><td>{Text(r.Condition)}/{Text(r.Reason)}</td>" +
                $"<td>{Time(r.StartedAt, now)}</td><td>{(r.EndedAt is { } e ? Time(e, now) : "—")}</td>" +
                $"<td><strong>{Text(r.State)}</strong>{(r.EndedBy is { } by ? $" by {Text(by)}" : "")}{(r.Outcome is { Length: > 0 } o ? $": {Text(o)}" : "")}</td><td>{Steps(r, now)}</td></tr>")],
            empty);

    private static string Steps(RepairRunView run, DateTime now) =>
        run.Steps.Count == 0 ? "—" : "<ol class=\"steps\">" + string.Concat(run.Steps.Select(s => $"<li><strong>{Text(s.Step)}</strong> {Time(s.DoneAt, now)}{(s.Detail is { Length: > 0 } d ? $": {Text(d)}" : "")}</li>")) + "</ol>";

    /// <summary>The decisions not yet running: what starts now first, then waits by deadline, then what is held back (with an approve where one is awaited).</summary>
    private static string Queue(RepairListView repairs, DateTime now)
    {
        var queue = repairs.Decisions.Where(d => d.State != "InFlight")
            .OrderBy(d => d.State switch { "Start" => 0, "Wait" => 1, "Deny" => 2, _ => 3 })
            .ThenBy(d => d.NotBefore ?? d.DecidedAt).ThenBy(d => d.Node, StringComparer.Ordinal)
            .Select(d => $"<tr data-node=\"{Text(d.Node)}\" data-state=\"{Text(d.State)}\">" +
                         $"<th scope=\"row\"><a href=\"{DashboardRoutes.Node(d.Node)}\">{Text(d.Node)}</a></th><td>{Text(d.Pool)} / {Text(d.Zone)}</td>" +
                         $"<td>{Text(d.Condition)}/{Text(d.Reason)}</td><td>{Text(d.Action)}{(d.DryRun ? " (dry run)" : "")}</td>" +
                         $"<td>{Verdict(d, now)}{Approval(repairs, d.Node, now)}</td><td>{Time(d.DecidedAt, now)}</td><td class=\"explanation\">{Text(d.Explanation.Text)}</td></tr>")
            .ToList();
        return "<section aria-labelledby=\"queue-title\"><h2 id=\"queue-title\">Queue</h2>" +
               Table("The governor's latest decision per unhealthy node", ["Node", "Pool / zone", "Why", "Action", "Verdict", "Decided", "Explanation"], queue,
                   repairs.Mode == "Off" ? "Repair:Mode is Off: no decisions are made." : "No unhealthy node waits for repair.") +
               "</section>";
    }

    /// <summary>
    /// The node's approval: who approved its repair and when, or a form to approve it while its decision waits for
    /// one (nothing when neither).
    /// </summary>
    public static string Approval(RepairListView? repairs, string node, DateTime now)
    {
        if (repairs?.Approvals.FirstOrDefault(a => a.Node == node) is { } given)
            return $"<p class=\"approved\" data-approved=\"{Text(given.Action)}\">{Text(given.Action)} approved by {Text(given.By)} {Time(given.ApprovedAt, now)}" +
                   $"{(given.Note.Length > 0 ? $": {Text(given.Note)}" : "")}.</p>";
        return repairs?.Decisions.FirstOrDefault(d => d.Node == node) is { Denial: "AwaitingApproval" } d
            ? $"<form class=\"action\" data-method=\"POST\" data-url=\"/api/repairs/nodes/{Segment(node)}/approve\" data-by=\"true\" data-what=\"Approve {Text(d.Action)} of {Text(node)}\">" +
              $"<label>Why <input name=\"note\" maxlength=\"500\" size=\"12\"></label> <button type=\"submit\">Approve {Text(d.Action.ToLowerInvariant())}</button></form>"
            : "";
    }

    private static string Verdict(RepairDecisionView d, DateTime now) => d.State switch
    {
        "Deny" when d.Denial == "AwaitingApproval" => $"Held back: {Text(RepairOutlook.DenialText(d.Denial))}",
        "Wait" when d.NotBefore is { } at => $"Wait: acts {Countdown(at, now)}",
        "Deny" => $"Held back: {Text(RepairOutlook.DenialText(d.Denial))}{(d.NotBefore is { } until ? $" until {Countdown(until, now)}" : "")}",
        "Start" => d.DryRun ? "Would start now" : "Starting",
        _ => Text(d.State),
    };
}

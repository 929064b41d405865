using NodeHealth.Coordinator.Repair;
using static NodeHealth.Coordinator.Dashboard.Html;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>An operator's pause of one node's repair, as the node page and the repairs page show it, with its Pause and Resume forms.</summary>
public static class NodePauses
{
    /// <summary>
    /// On the node page: who paused the node, when and why, with a resume form; else a pause form (nothing while the
    /// governor does not answer).
    /// </summary>
    public static string OfNode(RepairListView? repairs, string node, DateTime now)
    {
        if (repairs is null)
            return "";
        if (repairs.PausedNodes.FirstOrDefault(p => p.Node == node) is { } pause)
            return $"<p class=\"banner paused\" data-node-paused=\"true\">Repair of this node is paused by {Text(pause.By)} {Time(pause.Since, now)}{Note(pause)}. " +
                   "No new repair of it starts until resumed; a repair already running goes on (cancel stops it).</p>" + ResumeForm(node);
        return $"<form class=\"action\" data-method=\"POST\" data-url=\"/api/repairs/nodes/{Segment(node)}/pause\" data-by=\"true\" data-what=\"Pause repair of {Text(node)}\">" +
               "<label>Why <input name=\"note\" maxlength=\"500\" size=\"12\"></label> <button type=\"submit\">Pause repair of this node</button>" +
               " <span class=\"hint\">no new repair of it starts until resumed; one running goes on</span></form>";
    }

    /// <summary>On the repairs page: every node paused on its own, with a resume for each.</summary>
    public static string Table(RepairListView repairs, DateTime now) =>
        Html.Table("Nodes an operator paused one by one (pause one from its node page)", ["Node", "Paused by", "Since", "Why", "Operator"],
            [.. repairs.PausedNodes.Select(p => $"<tr data-node-paused=\"{Text(p.Node)}\"><th scope=\"row\"><a href=\"{DashboardRoutes.Node(p.Node)}\">{Text(p.Node)}</a></th>" +
                                                $"<td>{Text(p.By)}</td><td>{Time(p.Since, now)}</td><td>{Text(p.Note)}</td><td>{ResumeForm(p.Node)}</td></tr>")],
            "No node is paused on its own.");

    private static string ResumeForm(string node) =>
        $"<form class=\"action\" data-method=\"POST\" data-url=\"/api/repairs/nodes/{Segment(node)}/resume\" data-by=\"true\" data-what=\"Resume repair of {Text(node)}\">" +
        "<button type=\"submit\">Resume repair of this node</button></form>";

    private static string Note(RepairNodePauseView pause) => pause.Note.Length > 0 ? $": {Text(pause.Note)}" : "";
}

using System.Globalization;
using System.Net;
using System.Text;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>Writing HTML safely: every value from the fleet (names, reasons, messages) goes through <see cref="Text"/>.</summary>
public static class Html
{
    public static string Text(string? value) => WebUtility.HtmlEncode(value ?? "");

    /// <summary>A query or path segment inside an attribute.</summary>
    public static string Segment(string value) => Text(Uri.EscapeDataString(value));

    /// <summary>An instant a person reads ("2026-11-28 01:02:03Z, 4m ago") that a machine reads from datetime.</summary>
    public static string Time(DateTime at, DateTime now) =>
        $"<time datetime=\"{Iso(at)}\" title=\"{Iso(at)}\">{Utc(at):yyyy-MM-dd HH:mm:ss}Z ({Ago(at, now)})</time>";

    /// <summary>A deadline the page counts down to every second.</summary>
    public static string Countdown(DateTime at, DateTime now) =>
        $"<time class=\"countdown\" datetime=\"{Iso(at)}\" data-countdown=\"{Iso(at)}\" title=\"{Iso(at)}\">{Until(at, now)}</time>";

    public static string Iso(DateTime at) => Utc(at).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The journal's instants come back without a kind: they are UTC.</summary>
    public static DateTime Utc(DateTime at) => at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc);

    public static string Ago(DateTime at, DateTime now) => now >= at ? Span(now - at) + " ago" : "in " + Span(at - now);

    public static string Until(DateTime at, DateTime now) => at > now ? "in " + Span(at - now) : "due now";

    /// <summary>"3d 4h", "12m 5s", "40s": the two largest units.</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
            span = -span;
        if (span.TotalDays >= 1)
            return $"{(int)span.TotalDays}d {span.Hours}h";
        if (span.TotalHours >= 1)
            return $"{(int)span.TotalHours}h {span.Minutes}m";
        if (span.TotalMinutes >= 1)
            return $"{(int)span.TotalMinutes}m {span.Seconds}s";
        return $"{(int)span.TotalSeconds}s";
    }

    /// <summary>A table with a caption and column headers; rows are already HTML. An empty table says so instead.</summary>
    public static string Table(string caption, IReadOnlyList<string> headers, IReadOnlyList<string> rows, string empty, string? css = null)
    {
        if (rows.Count == 0)
            return $"<p class=\"empty\">{Text(empty)}</p>";
        var html = new StringBuilder($"<div class=\"scroll\"><table{(css is null ? "" : $" class=\"{css}\"")}><caption>{Text(caption)}</caption><thead><tr>");
        foreach (var header in headers)
            html.Append($"<th scope=\"col\">{Text(header)}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
            html.Append(row);
        return html.Append("</tbody></table></div>").ToString();
    }

    public static string Row(params string[] cells) => "<tr>" + string.Concat(cells.Select(c => $"<td>{c}</td>")) + "</tr>";
}

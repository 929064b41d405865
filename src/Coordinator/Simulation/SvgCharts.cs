using System.Globalization;
using System.Net;
using System.Text;
using NodeHealth.Actors.Simulation;

namespace NodeHealth.Coordinator.Simulation;

/// <summary>
/// Inline SVG charts for the HTML report. Each chart is a <c>figure class="chart" data-chart="…"</c> holding one
/// <c>svg</c>; each policy's series carries <c>data-policy</c> and <c>data-points</c> (the browser test reads them).
/// </summary>
public static class SvgCharts
{
    public static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
    private const int Width = 860, Height = 300, Left = 60, Right = 20, Top = 20, Bottom = 40;

    /// <summary>Serving share over time, one line per policy; the y axis starts just below the lowest point so dips show.</summary>
    public static string Capacity(SimulationReport report)
    {
        var all = report.Policies.SelectMany(p => p.Capacity).ToList();
        var low = all.Count == 0 ? 0.9 : Math.Max(0, Math.Floor(all.Min(c => c.Serving) * 100 - 1) / 100);
        var maxX = Math.Max(1, report.Days * 24);
        double X(double hours) => Left + hours / maxX * (Width - Left - Right);
        double Y(double share) => Top + (1 - (share - low) / (1 - low + 1e-9)) * (Height - Top - Bottom);
        var svg = Frame("capacity", "Serving capacity over time (share of nodes serving)");
        for (var i = 0; i <= 4; i++)
        {
            var share = low + (1 - low) * i / 4;
            svg.Append(Inv($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(share):0.#}\" y2=\"{Y(share):0.#}\" class=\"grid\"/>"))
               .Append(Inv($"<text x=\"{Left - 6}\" y=\"{Y(share) + 4:0.#}\" text-anchor=\"end\">{share * 100:0.#} %</text>"));
        }

        for (var i = 0; i <= 6; i++)
        {
            var hours = maxX * i / 6;
            svg.Append(Inv($"<text x=\"{X(hours):0.#}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">day {hours / 24:0.#}</text>"));
        }

        foreach (var (policy, index) in report.Policies.Select((p, i) => (p, i)))
        {
            var points = string.Join(" ", policy.Capacity.Select(c => Inv($"{X(c.AtHours + policy.CapacityBucketHours / 2):0.#},{Y(c.Serving):0.#}")));
            svg.Append(Inv($"<polyline data-policy=\"{Attr(policy.Policy)}\" data-points=\"{policy.Capacity.Length}\" fill=\"none\" stroke=\"{Colors[index % Colors.Length]}\" stroke-width=\"1.5\" points=\"{points}\"><title>{Attr(policy.Policy)}</title></polyline>"));
        }

        return Close(svg, report);
    }

    /// <summary>Repairs per policy: reboots, replaces, the unnecessary ones and the outages budgets held back.</summary>
    public static string Repairs(SimulationReport report)
    {
        string[] labels = ["reboot", "replace", "unnecessary", "blocked"];
        int[] Values(PolicyResult p) => [p.RepairsByAction.GetValueOrDefault("Reboot"), p.RepairsByAction.GetValueOrDefault("Replace"), p.UnnecessaryRepairs, p.RepairsBlocked];
        return Bars("repairs", "Repairs by action (and the unnecessary and blocked ones)", report, labels, p => Values(p));
    }

    /// <summary>How long outages that a repair ended lasted, per policy, in hour buckets.</summary>
    public static string TimeToRepair(SimulationReport report)
    {
        var buckets = report.Policies.FirstOrDefault()?.TimeToRepair.Histogram ?? [];
        var labels = buckets.Select(b => b.ToHours is { } to ? Inv($"{b.FromHours:0.#}–{to:0.#} h") : Inv($"≥ {b.FromHours:0.#} h")).ToArray();
        return Bars("time-to-repair", "Time to repair: outages a repair ended, by length", report, labels, p => [.. p.TimeToRepair.Histogram.Select(b => b.Count)]);
    }

    private static string Bars(string chart, string title, SimulationReport report, string[] labels, Func<PolicyResult, int[]> values)
    {
        var svg = Frame(chart, title);
        var max = Math.Max(1, report.Policies.SelectMany(values).DefaultIfEmpty(0).Max());
        var group = (Width - Left - Right) / (double)Math.Max(1, labels.Length);
        var bar = group * 0.8 / Math.Max(1, report.Policies.Length);
        double Y(double v) => Top + (1 - v / max) * (Height - Top - Bottom);
        for (var i = 0; i <= 4; i++)
            svg.Append(Inv($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(max * i / 4.0):0.#}\" y2=\"{Y(max * i / 4.0):0.#}\" class=\"grid\"/>"))
               .Append(Inv($"<text x=\"{Left - 6}\" y=\"{Y(max * i / 4.0) + 4:0.#}\" text-anchor=\"end\">{max * i / 4.0:0.#}</text>"));
        for (var l = 0; l < labels.Length; l++)
            svg.Append(Inv($"<text x=\"{Left + group * (l + 0.5):0.#}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(labels[l])}</text>"));
        foreach (var (policy, index) in report.Policies.Select((p, i) => (p, i)))
        {
            var v = values(policy);
            svg.Append(Inv($"<g data-policy=\"{Attr(policy.Policy)}\" data-points=\"{v.Length}\" fill=\"{Colors[index % Colors.Length]}\">"));
            for (var l = 0; l < v.Length; l++)
            {
                var x = Left + group * l + group * 0.1 + bar * index;
                svg.Append(Inv($"<rect x=\"{x:0.#}\" y=\"{Y(v[l]):0.#}\" width=\"{bar:0.#}\" height=\"{Y(0) - Y(v[l]):0.#}\"><title>{Attr(policy.Policy)}: {WebUtility.HtmlEncode(labels[l])} {v[l]}</title></rect>"));
            }

            svg.Append("</g>");
        }

        return Close(svg, report);
    }

    private static StringBuilder Frame(string chart, string title) => new StringBuilder()
        .Append(Inv($"<figure class=\"chart\" data-chart=\"{chart}\"><figcaption>{WebUtility.HtmlEncode(title)}</figcaption>"))
        .Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Attr(title)}\">"))
        .Append(Inv($"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" class=\"axis\"/><line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom}\" class=\"axis\"/>"));

    private static string Close(StringBuilder svg, SimulationReport report)
    {
        svg.Append("</svg><div class=\"legend\">");
        foreach (var (policy, index) in report.Policies.Select((p, i) => (p, i)))
            svg.Append(Inv($"<span><i style=\"background:{Colors[index % Colors.Length]}\"></i>{WebUtility.HtmlEncode(policy.Policy)}</span>"));
        return svg.Append("</div></figure>").ToString();
    }

    public static string Attr(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace NodeHealth.Coordinator.Tests.Metrics;

/// <summary>One sample of a scrape: its metric name, labels and value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// Prometheus's text exposition format (0.0.4), read strictly: every problem names its line. Checks what a Prometheus
/// server would refuse or misread: names and label names, quoting and escapes, values, a TYPE before a family's samples,
/// counters ending _total, histograms with cumulative buckets up to +Inf and a _count equal to it.
/// </summary>
public static partial class Exposition
{
    public static IReadOnlyList<Sample> Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var where = $"line {i + 1} '{line}'";
            if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal) || line == "# EOF")
                continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                if (parts.Length != 4 || !MetricName().IsMatch(parts[2]) || parts[3] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    throw new FormatException($"{where}: a TYPE line is '# TYPE <name> <counter|gauge|histogram|summary|untyped>'");
                if (!types.TryAdd(parts[2], parts[3]))
                    throw new FormatException($"{where}: {parts[2]} is typed twice");
                continue;
            }

            if (line.StartsWith('#'))
                continue;
            var match = SampleLine().Match(line);
            if (!match.Success)
                throw new FormatException($"{where}: not a sample line (name, optional {{labels}}, value, optional timestamp)");
            var name = match.Groups["name"].Value;
            var labels = Labels(match.Groups["labels"].Value, where);
            if (!TryValue(match.Groups["value"].Value, out var value))
                throw new FormatException($"{where}: '{match.Groups["value"].Value}' is not a float");
            var family = Family(name, types);
            if (family is null)
                throw new FormatException($"{where}: {name} has no TYPE line before it");
            if (types[family] == "counter" && !family.EndsWith("_total", StringComparison.Ordinal))
                throw new FormatException($"{where}: counter {family} does not end in _total");
            samples.Add(new Sample(name, labels, value));
        }

        CheckHistograms(samples, types);
        return samples;
    }

    private static string? Family(string name, Dictionary<string, string> types)
    {
        if (types.ContainsKey(name))
            return name;
        foreach (var suffix in new[] { "_bucket", "_count", "_sum" })
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.GetValueOrDefault(name[..^suffix.Length]) == "histogram")
                return name[..^suffix.Length];
        return null;
    }

    private static Dictionary<string, string> Labels(string text, string where)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = text;
        while (rest.Length > 0)
        {
            var match = Label().Match(rest);
            if (!match.Success)
                throw new FormatException($"{where}: labels '{text}' are not name=\"value\" pairs with \\\\, \\\" and \\n escapes");
            if (!labels.TryAdd(match.Groups["name"].Value, Unescape(match.Groups["value"].Value)))
                throw new FormatException($"{where}: label {match.Groups["name"].Value} appears twice");
            rest = rest[match.Length..];
        }

        return labels;
    }

    private static void CheckHistograms(List<Sample> samples, Dictionary<string, string> types)
    {
        foreach (var histogram in types.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            var series = samples.Where(s => s.Name == histogram + "_bucket")
                .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}")));
            foreach (var buckets in series)
            {
                var ordered = buckets.Select(b => (Le: ParseValue(b.Labels["le"]), b.Value)).ToList();
                if (!double.IsPositiveInfinity(ordered[^1].Le))
                    throw new FormatException($"{histogram}{{{buckets.Key}}}: the last bucket is not le=\"+Inf\"");
                for (var i = 1; i < ordered.Count; i++)
                    if (ordered[i].Le <= ordered[i - 1].Le || ordered[i].Value < ordered[i - 1].Value)
                        throw new FormatException($"{histogram}{{{buckets.Key}}}: buckets are not increasing and cumulative at le={ordered[i].Le}");
                var count = samples.Single(s => s.Name == histogram + "_count"
                    && string.Join(",", s.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}")) == buckets.Key);
                if (count.Value != ordered[^1].Value)
                    throw new FormatException($"{histogram}{{{buckets.Key}}}: _count {count.Value} differs from the +Inf bucket {ordered[^1].Value}");
            }
        }
    }

    private static bool TryValue(string text, out double value)
    {
        value = text switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, "NaN" => double.NaN, _ => 0 };
        return text is "+Inf" or "-Inf" or "NaN" || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static double ParseValue(string text) => TryValue(text, out var value) ? value : throw new FormatException($"'{text}' is not a float");

    private static string Unescape(string value) => value.Replace("\\n", "\n").Replace("\\\"", "\"").Replace("\\\\", "\\");

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( -?\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\\n]|\\[\\""n])*)"",?")]
    private static partial Regex Label();
}

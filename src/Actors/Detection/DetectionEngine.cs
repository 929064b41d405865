using System.Text;
using System.Text.RegularExpressions;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection;

// INTERIM (branch classify only): the agreed API of H1's engine with just enough behind it to run classify and its
// tests (literal prefilter, precedence, one finding per condition, entity, thresholds, blocks; no rate limits).
// H1's DetectionEngine replaces this file at merge.
public sealed record Detection(ReasonRule Rule, string Message, string? Entity, int Count, long Line, DateTime At);

public sealed record DetectionOptions
{
    public bool RateLimits { get; init; } = true;
    public TimeSpan BlockIdle { get; init; } = TimeSpan.FromSeconds(1);
}

public sealed class DetectionEngine
{
    private readonly (ReasonRule Rule, Regex Regex, Regex? Until)[] _rules;
    private readonly Dictionary<(string Reason, string? Entity), Queue<DateTime>> _seen = [];
    private (int Rule, int Lines, DateTime At)? _block;

    public DetectionEngine(ReasonCatalog catalog, string source, DetectionOptions? options = null)
    {
        _rules = [.. catalog.RulesFor(source).Where(r => r.Match.Length > 0).Select(r => (r,
            new Regex(r.Match, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(50)),
            r.Block?.Until is { } until ? new Regex(until, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)) : null))];
        Options = options ?? new DetectionOptions();
    }

    public DetectionOptions Options { get; }

    public int RuleCount => _rules.Length;

    public void Feed(string text, DateTime at, long line, List<Detection> output)
    {
        if (_block is { } block)
        {
            var (_, _, until) = _rules[block.Rule];
            if (block.Lines < _rules[block.Rule].Rule.Block!.MaxLines && at - block.At <= Options.BlockIdle)
            {
                _block = until is not null && until.IsMatch(text) ? null : block with { Lines = block.Lines + 1 };
                return;
            }

            _block = null;
        }

        var done = new HashSet<ConditionType>();
        for (var i = 0; i < _rules.Length; i++)
        {
            var (rule, regex, _) = _rules[i];
            if (done.Contains(rule.Condition) || (rule.Literals.Length > 0 && !rule.Literals.Any(l => text.Contains(l, StringComparison.Ordinal))))
                continue;
            Match match;
            try
            {
                match = regex.Match(text);
            }
            catch (RegexMatchTimeoutException)
            {
                continue;
            }

            if (!match.Success)
                continue;
            done.Add(rule.Condition);
            var entity = rule.Entity is null ? null : Render(rule.Entity, match);
            if (rule.Block is not null)
                _block = (i, 1, at);
            if (Fires(rule, entity, at))
                output.Add(new Detection(rule, rule.MessageTemplate is null ? text : Render(rule.MessageTemplate, match), entity, 1, line, at));
        }
    }

    public void Flush(DateTime now, List<Detection> output)
    {
    }

    private bool Fires(ReasonRule rule, string? entity, DateTime at)
    {
        if (rule.Threshold.Count <= 1)
            return true;
        var key = (rule.Reason, entity);
        if (!_seen.TryGetValue(key, out var times))
            _seen[key] = times = new Queue<DateTime>();
        while (times.Count > 0 && at - times.Peek() > rule.Threshold.Window)
            times.Dequeue();
        times.Enqueue(at);
        if (times.Count < rule.Threshold.Count)
            return false;
        _seen.Remove(key);
        return true;
    }

    private static string Render(string template, Match match)
    {
        var text = new StringBuilder();
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            var close = open < 0 ? -1 : template.IndexOf('}', open);
            if (close < 0)
            {
                text.Append(template, position, template.Length - position);
                break;
            }

            text.Append(template, position, open - position).Append(match.Groups[template[(open + 1)..close]].Value);
            position = close + 1;
        }

        return text.ToString();
    }
}

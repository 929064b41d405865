using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection;

/// <summary>A log line that matched a rule, with the message the rule makes of it.</summary>
public sealed record RuleMatch(ReasonRule Rule, string Message);

/// <summary>
/// Matches log text against the catalog rules of one source, in catalog order: the first rule that
/// matches wins (so SoftLockup beats KernelBug, as in EKS).
/// </summary>
public sealed class LineClassifier
{
    public const int MaxMessageLength = 1024;

    private readonly ImmutableArray<(ReasonRule Rule, Regex Regex)> _rules;

    public LineClassifier(ReasonCatalog catalog, string source)
    {
        _rules = [.. catalog.RulesFor(source).Where(r => r.Match.Length > 0).Select(r =>
            (r, new Regex(r.Match, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(50))))];
        // A compiled regex is JIT-compiled at its first match, inside the match timeout: on a busy node that first
        // match could time out and a real fault line be skipped. Match once here, where time does not count.
        foreach (var (_, regex) in _rules)
            regex.IsMatch("");
    }

    public int RuleCount => _rules.Length;

    public RuleMatch? Classify(string text)
    {
        foreach (var (rule, regex) in _rules)
        {
            Match match;
            try
            {
                match = regex.Match(text);
            }
            catch (RegexMatchTimeoutException)
            {
                continue; // A pathological line must not stall the monitor; the other rules still get their chance.
            }

            if (match.Success)
                return new RuleMatch(rule, Bounded(rule.MessageTemplate is null ? text : Render(rule.MessageTemplate, match)));
        }

        return null;
    }

    private static string Render(string template, Match match)
    {
        var message = new StringBuilder(template.Length + 32);
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            var close = open < 0 ? -1 : template.IndexOf('}', open);
            if (close < 0)
            {
                message.Append(template, position, template.Length - position);
                break;
            }

            message.Append(template, position, open - position);
            message.Append(match.Groups[template[(open + 1)..close]].Value);
            position = close + 1;
        }

        return message.ToString();
    }

    private static string Bounded(string message) =>
        message.Length <= MaxMessageLength ? message : message[..(MaxMessageLength - 1)] + "…";
}

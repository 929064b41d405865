using System.Text;
using System.Text.RegularExpressions;
using NodeHealth.Actors.Detection.Accelerators;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection;

/// <summary>
/// What a rule made of a log line (or a block of lines starting at <see cref="Line"/>): <see cref="Count"/> is how
/// many matching lines it stands for (more than 1 when rate-limited repeats were folded into it).
/// </summary>
public sealed record Detection(ReasonRule Rule, string Message, string? Entity, int Count, long Line, DateTime At);

public sealed record DetectionOptions
{
    /// <summary>Apply the rules' rateLimit (the agent does; classify shows every match unless asked).</summary>
    public bool RateLimits { get; init; } = true;

    /// <summary>A block with no new line for this long is complete.</summary>
    public TimeSpan BlockIdle { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The agent's GPU map, shared by its log sources and accelerator probes; null: the engine keeps its own.</summary>
    public GpuIdentities? Gpus { get; init; }
}

/// <summary>Turns a rule's match into the texts a finding carries, bounded so no log line can make them huge.</summary>
internal static class DetectionText
{
    public const int MaxMessageLength = 1024;
    public const int MaxEntityLength = 256;

    /// <summary>The message: <c>{entity}</c> is the finding's entity, a family's placeholder its value (also where its group did not take part).</summary>
    public static string Message(ReasonRule rule, string text, Match match, string? entity = null) =>
        Bounded(rule.MessageTemplate is null ? text : Render(rule.MessageTemplate, match, rule, entity), MaxMessageLength);

    /// <summary>The entity, or none when none of its template's groups took part in the match (an optional device id the line left out).</summary>
    public static string? Entity(ReasonRule rule, Match match) =>
        rule.Entity is null || (Placeholders(rule.Entity).Any() && !Placeholders(rule.Entity).Any(name => match.Groups[name].Success))
            ? null
            : Bounded(Render(rule.Entity, match, rule, null), MaxEntityLength);

    private static IEnumerable<string> Placeholders(string template)
    {
        for (var open = template.IndexOf('{'); open >= 0; open = template.IndexOf('{', open + 1))
        {
            var close = template.IndexOf('}', open);
            if (close < 0)
                yield break;
            yield return template[(open + 1)..close];
        }
    }

    private static string Render(string template, Match match, ReasonRule rule, string? entity)
    {
        var rendered = new StringBuilder(template.Length + 32);
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            var close = open < 0 ? -1 : template.IndexOf('}', open);
            if (close < 0)
            {
                rendered.Append(template, position, template.Length - position);
                break;
            }

            rendered.Append(template, position, open - position);
            var name = template[(open + 1)..close];
            var group = match.Groups[name];
            if (!group.Success && name == "entity")
                rendered.Append(entity);
            else if (!group.Success && rule.Value is not null && name == rule.Family?.Placeholder)
                rendered.Append(rule.Value);
            else
                rendered.Append(group.ValueSpan[..Math.Min(group.Length, MaxMessageLength)]); // A group can span a 1 MiB line.
            position = close + 1;
        }

        return rendered.ToString();
    }

    private static string Bounded(string text, int max) =>
        text.Length <= max ? text : text[..(max - 1)] + "…";
}

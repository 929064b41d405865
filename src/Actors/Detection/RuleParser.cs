using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NodeHealth.Actors.Yaml;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection;

/// <summary>Validates one catalog entry into a <see cref="ReasonRule"/>; every error starts with "file line N: Condition/Reason".</summary>
internal static partial class RuleParser
{
    public const int MaxLiterals = 32;
    public const int MaxLiteralLength = 256;
    public const int MaxBlockLines = 1000;
    public const int DefaultBlockLines = 100;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    public static string Where(string origin, ReasonEntry e, ConditionType type) =>
        $"{origin} line {e.Line}: {type}/{e.Reason}";

    public static ReasonRule ToRule(string origin, ConditionType type, ReasonEntry e, bool builtIn)
    {
        var reason = RequireReasonOrTemplate($"{origin} line {e.Line}", e.Reason);
        var where = Where(origin, e, type);
        if (!IsTemplate(reason))
        {
            if (e.Values is not null || e.ValuePattern is not null || e.ImpliedValue is not null)
                throw new CatalogException($"{where}: values, valuePattern and impliedValue belong to a reason family, whose reason has a {{name}} placeholder (NvidiaXID{{xid}}Error)");
            return Build(where, origin, type, reason, e, builtIn);
        }

        var rule = Build(where, origin, type, reason, e, builtIn);
        return rule with { Family = ReasonFamilies.Parse(where, origin, type, reason, e, builtIn, rule) };
    }

    /// <summary>Whether <paramref name="reason"/> is a family's template (it has a <c>{name}</c> placeholder).</summary>
    public static bool IsTemplate(string reason) => reason.Contains('{', StringComparison.Ordinal);

    /// <summary>A reason name, or a family template: CamelCase with exactly one <c>{name}</c> placeholder.</summary>
    public static string RequireReasonOrTemplate(string where, string? reason)
    {
        if (reason is null || !IsTemplate(reason))
            return RequireReasonName(where, reason);
        if (reason.Length > 96 || !Template().IsMatch(reason))
            throw new CatalogException($"{where}: reason template '{reason}' must be CamelCase ASCII letters and digits with exactly one {{name}} placeholder (a lowercase name), e.g. NvidiaXID{{xid}}Error or {{unit}}RepeatedRestart, at most 96 characters");
        return reason;
    }

    public static ReasonRule Build(string where, string origin, ConditionType type, string reason, ReasonEntry e, bool builtIn)
    {
        if (!Enum.TryParse<Severity>(e.Severity, ignoreCase: false, out var severity) || severity == Severity.Unknown)
            throw new CatalogException($"{where}: severity '{e.Severity}' must be Info, Warning or Fatal");
        if (e.Source is null || !SourceName().IsMatch(e.Source))
            throw new CatalogException($"{where}: source '{e.Source}' must be a lowercase name such as kmsg, journal-kubelet or probe-mounts (the monitor that reads it)");

        // Without match the reason is raised by its monitor's own check (a probe), never by a log line.
        var regex = string.IsNullOrEmpty(e.Match) ? null : Compile(where, "match", e.Match);
        var literals = Literals(where, e, regex, builtIn);
        RequireGroups(where, "message", e.Message, regex, e.Entity is null ? null : "entity");
        if (e.Entity is not null && regex is null)
            throw new CatalogException($"{where}: entity needs match (its {{group}} placeholders come from it)");
        RequireGroups(where, "entity", e.Entity, regex);

        var recovery = ParseEnum(where, "recovery", e.Recovery, RecoveryMode.None);
        if (severity == Severity.Fatal && recovery == RecoveryMode.None)
            throw new CatalogException($"{where}: a Fatal reason needs recovery: reboot, probe, quiet or manual (a condition that never clears is a bug)");
        if (severity != Severity.Fatal && recovery != RecoveryMode.None)
            throw new CatalogException($"{where}: recovery applies only to Fatal reasons (lowering a Fatal reason to {severity}? add recovery: none)");

        var quietFor = e.QuietFor is null ? TimeSpan.Zero : ParseDuration(where, "quietFor", e.QuietFor);
        if (recovery == RecoveryMode.Quiet && quietFor <= TimeSpan.Zero)
            throw new CatalogException($"{where}: recovery quiet needs quietFor, how long without a recurrence clears the fault, e.g. quietFor: 30m");
        if (recovery != RecoveryMode.Quiet && e.QuietFor is not null)
            throw new CatalogException($"{where}: quietFor applies only to recovery quiet");

        var occurrences = e.Occurrences ?? 1;
        if (occurrences < 1)
            throw new CatalogException($"{where}: occurrences must be at least 1");
        var window = e.Window is null ? TimeSpan.Zero : ParseDuration(where, "window", e.Window);
        if (occurrences > 1 && window <= TimeSpan.Zero)
            throw new CatalogException($"{where}: occurrences > 1 needs a window, e.g. window: 10m");

        if (e.Before == reason)
            throw new CatalogException($"{where}: before names the reason itself");
        if (e.Trigger is { Length: > 200 })
            throw new CatalogException($"{where}: trigger is {e.Trigger.Length} characters; keep it under 200");

        return new ReasonRule(
            type, reason, severity, e.Source, e.Match ?? "", e.Message,
            new OccurrenceThreshold(occurrences, window),
            recovery,
            quietFor,
            ParseEnum(where, "repair", e.Repair, RepairAction.None),
            e.Description ?? "",
            origin)
        {
            Literals = literals,
            Entity = e.Entity,
            Before = e.Before,
            RateLimit = e.RateLimit is null ? null : ParseRateLimit(where, e.RateLimit),
            Block = e.Block is null ? null : ParseBlock(where, e.Block, regex),
            Trigger = e.Trigger,
        };
    }

    public static string RequireReasonName(string where, string? reason)
    {
        if (string.IsNullOrEmpty(reason) || reason.Length > 128 || !reason.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetterUpper(reason[0]))
            throw new CatalogException($"{where}: reason '{reason}' must be CamelCase ASCII letters and digits, at most 128");
        return reason;
    }

    private static ImmutableArray<string> Literals(string where, ReasonEntry e, Regex? regex, bool builtIn)
    {
        if (e.Literals is null)
        {
            if (builtIn && regex is not null)
                throw new CatalogException($"{where}: a built-in rule with match needs literals, the strings every line it matches contains one of");
            return [];
        }

        if (regex is null)
            throw new CatalogException($"{where}: literals need match (they only say which lines the match can succeed on)");
        if (e.Literals.Count is 0 or > MaxLiterals)
            throw new CatalogException($"{where}: literals must list 1 to {MaxLiterals} strings");
        foreach (var literal in e.Literals)
        {
            if (literal is null || literal.Length < 2 || literal.Length > MaxLiteralLength)
                throw new CatalogException($"{where}: literal '{literal}' must be 2 to {MaxLiteralLength} characters");
        }

        return [.. e.Literals.Distinct(StringComparer.Ordinal)];
    }

    public static Regex Compile(string where, string key, string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new CatalogException($"{where}: {key} is not a valid regular expression: {ex.Message}");
        }
    }

    private static void RequireGroups(string where, string key, string? template, Regex? regex, string? alsoKnown = null)
    {
        foreach (Match placeholder in Placeholder().Matches(template ?? ""))
        {
            var group = placeholder.Groups[1].Value;
            if (group == alsoKnown)
                continue;
            if (regex is null || regex.GroupNumberFromName(group) < 0)
                throw new CatalogException($"{where}: {key} uses {{{group}}} but match has no group named '{group}'");
        }
    }

    private static RateLimit ParseRateLimit(string where, string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0 || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            throw new CatalogException($"{where}: rateLimit '{text}' must look like 10/1m (at most 10 findings a minute)");
        return new RateLimit(count, ParseDuration(where, "rateLimit window", text[(slash + 1)..]));
    }

    private static BlockRule ParseBlock(string where, BlockEntry block, Regex? regex)
    {
        if (regex is null)
            throw new CatalogException($"{where}: block needs match (the line that starts the block)");
        if (block.Until is not null)
            Compile(where, "block until", block.Until);
        var maxLines = block.MaxLines ?? DefaultBlockLines;
        if (maxLines is < 2 or > MaxBlockLines)
            throw new CatalogException($"{where}: block maxLines {maxLines} must be 2 to {MaxBlockLines}");
        return new BlockRule(block.Until, maxLines);
    }

    private static T ParseEnum<T>(string where, string key, string? value, T fallback) where T : struct, Enum
    {
        if (value is null)
            return fallback;
        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            return parsed;
        throw new CatalogException($"{where}: {key} '{value}' must be one of {string.Join(", ", Enum.GetNames<T>())}");
    }

    private static TimeSpan ParseDuration(string where, string key, string text) =>
        Duration.TryParse(text, out var value, days: false)
            ? value
            : throw new CatalogException($"{where}: {key} '{text}' must look like 30s, 10m or 1h");

    [GeneratedRegex(@"^(?=.*[A-Za-z0-9]\{|.*\}[A-Za-z0-9])(?:[A-Z][A-Za-z0-9]*)?\{[a-z][A-Za-z0-9]{0,31}\}[A-Za-z0-9]*$")]
    private static partial Regex Template();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
    private static partial Regex SourceName();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}

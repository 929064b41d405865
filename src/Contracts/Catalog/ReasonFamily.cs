using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace NodeHealth.Contracts.Catalog;

/// <summary>
/// A reason template with one <c>{name}</c> placeholder (<c>NvidiaXID{xid}Error</c>, <c>{unit}RepeatedRestart</c>):
/// the concrete reason is the template with a value filled in. A value is 1 to <see cref="MaxValueLength"/> ASCII
/// letters, digits and hyphens. Without <see cref="ValuePattern"/> the family is closed: only the values listed in
/// <see cref="Values"/> belong to it (the fatal XID list). With it, any value matching it belongs, and
/// <see cref="Values"/> only holds per-value overrides. Each listed value maps to the rule that value means
/// (the family's rule with that value's overrides: repair, recovery, thresholds, description).
/// </summary>
public sealed partial class ReasonFamily
{
    public const int MaxValueLength = 64;
    private const int MaxCachedValues = 1024;
    private readonly Regex? _valuePattern;
    private readonly ConcurrentDictionary<string, ReasonRule> _concrete = new(StringComparer.Ordinal);

    public ReasonFamily(string template, string? valuePattern, ImmutableDictionary<string, ReasonRule> values, string? impliedValue)
    {
        var open = template.IndexOf('{');
        var close = template.IndexOf('}', open + 1);
        if (open < 0 || close < 0)
            throw new ArgumentException($"'{template}' has no {{name}} placeholder", nameof(template));
        Template = template;
        Placeholder = template[(open + 1)..close];
        Prefix = template[..open];
        Suffix = template[(close + 1)..];
        ValuePattern = valuePattern;
        _valuePattern = valuePattern is null ? null : new Regex($"^(?:{valuePattern})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        Values = values;
        ImpliedValue = impliedValue;
    }

    public string Template { get; }

    /// <summary>The placeholder's name: for a log rule, the match's named group that gives the value.</summary>
    public string Placeholder { get; }

    public string Prefix { get; }
    public string Suffix { get; }
    public string? ValuePattern { get; }
    public bool IsClosed => ValuePattern is null;

    /// <summary>Listed values, each with the rule it means (its reason still the template; <see cref="Concrete"/> fills it).</summary>
    public ImmutableDictionary<string, ReasonRule> Values { get; }

    /// <summary>The value of a matching line whose placeholder group did not take part ("fallen off the bus" is XID 79).</summary>
    public string? ImpliedValue { get; }

    public string ReasonFor(string value) => Prefix + value + Suffix;

    /// <summary>Whether <paramref name="value"/> has the syntax of a value (letters, digits, hyphens).</summary>
    public static bool IsValueSyntax(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxValueLength)
            return false;
        foreach (var c in value)
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                return false;
        return true;
    }

    /// <summary>Whether <paramref name="value"/> belongs to this family: listed, or (open family) matching its pattern.</summary>
    public bool Accepts(string value) =>
        IsValueSyntax(value) && (Values.ContainsKey(value) || (_valuePattern is not null && _valuePattern.IsMatch(value)));

    /// <summary>Whether <paramref name="value"/> matches the open family's pattern (a closed family has none).</summary>
    public bool MatchesPattern(string value) => _valuePattern is not null && _valuePattern.IsMatch(value);

    /// <summary>The value <paramref name="reason"/> fills this family with, or null when it is not one of its reasons.</summary>
    public string? ValueOf(string reason)
    {
        if (reason.Length <= Prefix.Length + Suffix.Length || !reason.StartsWith(Prefix, StringComparison.Ordinal) || !reason.EndsWith(Suffix, StringComparison.Ordinal))
            return null;
        var value = reason[Prefix.Length..^Suffix.Length];
        return Accepts(value) ? value : null;
    }

    /// <summary>The concrete rule for an accepted <paramref name="value"/> of <paramref name="familyRule"/> (this family's rule).</summary>
    public ReasonRule Concrete(ReasonRule familyRule, string value)
    {
        if (_concrete.TryGetValue(value, out var cached))
            return cached;
        var rule = (Values.TryGetValue(value, out var listed) ? listed : familyRule) with { Reason = ReasonFor(value), Family = this, Value = value };
        if (_concrete.Count < MaxCachedValues) // Values of an open family come from log text: the cache stays bounded.
            _concrete.TryAdd(value, rule);
        return rule;
    }

    /// <summary>The concrete rule a reason names, or null when it is not one of this family's reasons.</summary>
    public ReasonRule? Resolve(ReasonRule familyRule, string reason) =>
        ValueOf(reason) is { } value ? Concrete(familyRule, value) : null;
}

using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection;

/// <summary>Validates a family entry (<c>NvidiaXID{xid}Error</c>) into its <see cref="ReasonFamily"/>; errors name the file, line and value.</summary>
internal static class ReasonFamilies
{
    public const int MaxValues = 1000;

    public static ReasonFamily Parse(string where, string origin, ConditionType type, string template, ReasonEntry e, bool builtIn, ReasonRule familyRule)
    {
        var placeholder = template[(template.IndexOf('{') + 1)..template.IndexOf('}')];
        if (familyRule.Match.Length > 0 && RuleParser.Compile(where, "match", familyRule.Match).GroupNumberFromName(placeholder) < 0)
            throw new CatalogException($"{where}: the reason's {{{placeholder}}} takes its value from match's group named '{placeholder}', which match does not have");
        if (e.Values is null && e.ValuePattern is null)
            throw new CatalogException($"{where}: a reason family needs values (the values it allows, e.g. the fatal XIDs) or valuePattern (a regular expression every value must match, e.g. '[0-9]{{1,3}}')");
        if (e.ValuePattern is not null)
            RuleParser.Compile(where, "valuePattern", e.ValuePattern);
        if (e.Values is { Count: > MaxValues })
            throw new CatalogException($"{where}: values lists {e.Values.Count} values; at most {MaxValues}");

        var values = ImmutableDictionary.CreateBuilder<string, ReasonRule>(StringComparer.Ordinal);
        foreach (var (value, terms) in e.Values ?? [])
        {
            var at = $"{origin} line {(terms?.Line > 0 ? terms.Line : e.Line)}: {type}/{template} value '{value}'";
            if (!ReasonFamily.IsValueSyntax(value))
                throw new CatalogException($"{at}: a value must be 1 to {ReasonFamily.MaxValueLength} ASCII letters, digits or hyphens");
            if (terms?.Disabled == true)
                continue; // Removes nothing here: a value is removed by a later file.
            values[value] = RuleParser.Build(at, origin, type, template, e.ForValue(terms), builtIn);
        }

        var family = new ReasonFamily(template, e.ValuePattern, values.ToImmutable(), e.ImpliedValue);
        foreach (var value in family.Values.Keys)
            if (!family.IsClosed && !family.MatchesPattern(value))
                throw new CatalogException($"{where}: value '{value}' does not match valuePattern '{e.ValuePattern}'");
        // Not required to be accepted: an operator may drop 79 from the fatal list, and the line then falls to a later rule.
        if (e.ImpliedValue is { } implied && !ReasonFamily.IsValueSyntax(implied))
            throw new CatalogException($"{where}: impliedValue '{implied}' must be 1 to {ReasonFamily.MaxValueLength} ASCII letters, digits or hyphens");
        if (e.ImpliedValue is not null && familyRule.Match.Length == 0)
            throw new CatalogException($"{where}: impliedValue needs match (it is the value of a matching line that lacks the group)");
        return family;
    }
}

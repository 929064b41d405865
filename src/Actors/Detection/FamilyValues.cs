using System.Text.RegularExpressions;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection;

/// <summary>The value a log line gives a reason family: the match's group named like the placeholder, else the family's implied value.</summary>
internal static class FamilyValues
{
    /// <summary>The concrete rule the match means, or null when its value is not one of the family's.</summary>
    public static ReasonRule? Concrete(ReasonFamily family, ReasonRule familyRule, Match match)
    {
        var group = match.Groups[family.Placeholder];
        var value = group.Success && group.Length > 0 ? group.Value : family.ImpliedValue;
        return value is not null && family.Accepts(value) ? family.Concrete(familyRule, value) : null;
    }
}

using NodeHealth.Actors.Yaml;
using YamlDotNet.Serialization;

namespace NodeHealth.Actors.Detection;

// The YAML shape of a catalog file; RuleParser turns an entry into a validated ReasonRule.
internal sealed class CatalogFile
{
    public List<ConditionEntry>? Conditions { get; set; }
}

internal sealed class ConditionEntry
{
    public string? Type { get; set; }
    public string? ReadyReason { get; set; }
    public string? ReadyMessage { get; set; }
    public List<HardwareEntry>? Hardware { get; set; }
    public List<ReasonEntry>? Reasons { get; set; }
}

/// <summary>A ready reason per hardware kind (<c>nvidia</c>, <c>neuron</c>) for a condition published only where that hardware is.</summary>
internal sealed class HardwareEntry
{
    public string? Name { get; set; }
    public string? ReadyReason { get; set; }
    public string? ReadyMessage { get; set; }
}

internal sealed class BlockEntry
{
    public string? Until { get; set; }
    public int? MaxLines { get; set; }
}

internal sealed class ReasonEntry : IHasSourceLine
{
    public string? Reason { get; set; }
    public string? Severity { get; set; }
    public string? Source { get; set; }
    public string? Match { get; set; }
    public List<string>? Literals { get; set; }
    public string? Message { get; set; }
    public string? Entity { get; set; }
    public string? Before { get; set; }
    public int? Occurrences { get; set; }
    public string? Window { get; set; }
    public string? RateLimit { get; set; }
    public BlockEntry? Block { get; set; }
    public string? Recovery { get; set; }
    public string? QuietFor { get; set; }
    public string? Repair { get; set; }
    public string? Trigger { get; set; }
    public string? Description { get; set; }
    public bool? Disabled { get; set; }
    public string? ValuePattern { get; set; }
    public string? ImpliedValue { get; set; }
    public Dictionary<string, ValueEntry?>? Values { get; set; }

    /// <summary>Where the entry starts in its file (1-based), for errors.</summary>
    [YamlIgnore]
    public long Line { get; set; }

    /// <summary>
    /// This entry changed only by the keys <paramref name="change"/> gives. A new match drops what belonged to the
    /// old expression (literals, message, entity, block, trigger); a new recovery drops a quietFor it no longer uses.
    /// </summary>
    public ReasonEntry OverriddenBy(ReasonEntry change)
    {
        var newMatch = change.Match is not null;
        var newRecovery = change.Recovery is not null && !string.Equals(change.Recovery, "quiet", StringComparison.OrdinalIgnoreCase);
        return new ReasonEntry
        {
            Reason = Reason,
            Severity = change.Severity ?? Severity,
            Source = change.Source ?? Source,
            Match = change.Match ?? Match,
            Literals = change.Literals ?? (newMatch ? null : Literals),
            Message = change.Message ?? (newMatch ? null : Message),
            Entity = change.Entity ?? (newMatch ? null : Entity),
            Block = change.Block ?? (newMatch ? null : Block),
            Trigger = change.Trigger ?? (newMatch ? null : Trigger),
            Before = change.Before ?? Before,
            Occurrences = change.Occurrences ?? Occurrences,
            Window = change.Window ?? Window,
            RateLimit = change.RateLimit ?? RateLimit,
            Recovery = change.Recovery ?? Recovery,
            QuietFor = change.QuietFor ?? (newRecovery ? null : QuietFor),
            Repair = change.Repair ?? Repair,
            Description = change.Description ?? Description,
            Disabled = change.Disabled,
            ValuePattern = change.ValuePattern ?? ValuePattern,
            ImpliedValue = change.ImpliedValue ?? ImpliedValue,
            Values = ValueEntry.Merge(Values, change.Values),
            Line = change.Line,
        };
    }

    /// <summary>This (family) entry as it means one value: the value's keys over the family's.</summary>
    public ReasonEntry ForValue(ValueEntry? value) => value is null ? this : new ReasonEntry
    {
        Reason = Reason,
        Severity = Severity,
        Source = Source,
        Match = Match,
        Literals = Literals,
        Message = Message,
        Entity = Entity,
        Block = Block,
        Trigger = Trigger,
        Before = Before,
        Occurrences = value.Occurrences ?? Occurrences,
        Window = value.Window ?? Window,
        RateLimit = value.RateLimit ?? RateLimit,
        Recovery = value.Recovery ?? Recovery,
        QuietFor = value.QuietFor ?? (value.Recovery is not null && !string.Equals(value.Recovery, "quiet", StringComparison.OrdinalIgnoreCase) ? null : QuietFor),
        Repair = value.Repair ?? Repair,
        Description = value.Description ?? Description,
        Line = value.Line > 0 ? value.Line : Line,
    };
}

/// <summary>One value of a reason family (under <c>values:</c>, or an operator entry naming a concrete reason): the keys it overrides.</summary>
internal sealed class ValueEntry : IHasSourceLine
{
    public string? Repair { get; set; }
    public string? Recovery { get; set; }
    public string? QuietFor { get; set; }
    public int? Occurrences { get; set; }
    public string? Window { get; set; }
    public string? RateLimit { get; set; }
    public string? Description { get; set; }
    public bool? Disabled { get; set; }

    [YamlIgnore]
    public long Line { get; set; }

    /// <summary>A later file's values change the earlier ones value by value; <c>disabled: true</c> removes a value.</summary>
    public static Dictionary<string, ValueEntry?>? Merge(Dictionary<string, ValueEntry?>? earlier, Dictionary<string, ValueEntry?>? later)
    {
        if (later is null)
            return earlier;
        var merged = new Dictionary<string, ValueEntry?>(earlier ?? [], StringComparer.Ordinal);
        foreach (var (value, change) in later)
        {
            if (change?.Disabled == true)
                merged.Remove(value);
            else
                merged[value] = merged.TryGetValue(value, out var old) && old is not null && change is not null ? old.OverriddenBy(change) : change ?? old;
        }

        return merged;
    }

    public ValueEntry OverriddenBy(ValueEntry change) => new()
    {
        Repair = change.Repair ?? Repair,
        Recovery = change.Recovery ?? Recovery,
        QuietFor = change.QuietFor ?? (change.Recovery is not null && !string.Equals(change.Recovery, "quiet", StringComparison.OrdinalIgnoreCase) ? null : QuietFor),
        Occurrences = change.Occurrences ?? Occurrences,
        Window = change.Window ?? Window,
        RateLimit = change.RateLimit ?? RateLimit,
        Description = change.Description ?? Description,
        Line = change.Line,
    };

    /// <summary>An operator entry that names one concrete reason of a family, as that value's keys.</summary>
    public static ValueEntry From(ReasonEntry e) => new()
    {
        Repair = e.Repair,
        Recovery = e.Recovery,
        QuietFor = e.QuietFor,
        Occurrences = e.Occurrences,
        Window = e.Window,
        RateLimit = e.RateLimit,
        Description = e.Description,
        Disabled = e.Disabled,
        Line = e.Line,
    };
}

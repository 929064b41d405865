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

internal sealed class ReasonEntry
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
            Line = change.Line,
        };
    }
}

using System.Collections.Immutable;

namespace NodeHealth.Contracts.Catalog;

/// <summary>How a fatal reason stops holding its condition False (DESIGN §5).</summary>
public enum RecoveryMode
{
    /// <summary>Warnings and Info: they never hold a condition.</summary>
    None = 0,
    /// <summary>Clears when the node's boot id changes.</summary>
    Reboot = 1,
    /// <summary>Clears after N healthy polls of a probe.</summary>
    Probe = 2,
    /// <summary>Clears after a quiet period without recurrence.</summary>
    Quiet = 3,
    /// <summary>Clears only when an operator says so.</summary>
    Manual = 4,
}

public enum RepairAction
{
    None = 0,
    Reboot = 1,
    Replace = 2,
}

/// <summary>Fire only on the Count-th occurrence within Window (Count 1: every occurrence).</summary>
public sealed record OccurrenceThreshold(int Count, TimeSpan Window)
{
    public static readonly OccurrenceThreshold Once = new(1, TimeSpan.Zero);
}

/// <summary>At most <see cref="Count"/> findings per <see cref="Window"/> per reason and entity; further repeats fold into a later one.</summary>
public sealed record RateLimit(int Count, TimeSpan Window);

/// <summary>A multi-line event: the lines after the matching one, up to one matching <see cref="Until"/> or <see cref="MaxLines"/> lines in all, belong to it.</summary>
public sealed record BlockRule(string? Until, int MaxLines);

/// <summary>
/// One reason of one condition: how it is detected and what it means. <see cref="QuietFor"/> is how long a
/// fault with recovery mode quiet must go without recurring before it clears (zero for other modes).
/// The init properties are the engine's: <see cref="Literals"/> (a line the rule matches contains one of
/// them), <see cref="Entity"/> (template over the match's groups), <see cref="Before"/> (the reason this
/// rule takes precedence over; the catalog's rule order already honours it), <see cref="RateLimit"/>,
/// <see cref="Block"/> and <see cref="Trigger"/> (what fires it, for the reasons reference). A family's rule
/// (<see cref="Family"/> set, <see cref="Value"/> null) has a template as <see cref="Reason"/>; the concrete rule of
/// one value (<see cref="ReasonFamily.Concrete"/>) has the filled-in reason and its <see cref="Value"/>.
/// </summary>
public sealed record ReasonRule(
    ConditionType Condition,
    string Reason,
    Severity Severity,
    string Source,
    string Match,
    string? MessageTemplate,
    OccurrenceThreshold Threshold,
    RecoveryMode Recovery,
    TimeSpan QuietFor,
    RepairAction Repair,
    string Description,
    string Origin)
{
    public ImmutableArray<string> Literals { get; init; } = [];
    public string? Entity { get; init; }
    public string? Before { get; init; }
    public RateLimit? RateLimit { get; init; }
    public BlockRule? Block { get; init; }
    public string? Trigger { get; init; }
    public ReasonFamily? Family { get; init; }
    public string? Value { get; init; }

    /// <summary>A family's own rule (a template), which no finding carries: findings carry its concrete reasons.</summary>
    public bool IsTemplate => Family is not null && Value is null;
}

/// <summary>
/// A condition type with the reason it shows while healthy (EKS's "ready" reasons). <see cref="Hardware"/> holds the
/// ready reasons of a condition whose meaning depends on the hardware present (AcceleratedHardwareReady:
/// NvidiaGPUIsReady on NVIDIA nodes, NeuronAcceleratedHardwareIsReady on AWS Neuron nodes).
/// </summary>
public sealed record ConditionDefinition(ConditionType Type, string ReadyReason, string ReadyMessage)
{
    public ImmutableArray<HardwareReady> Hardware { get; init; } = [];

    /// <summary>The ready reason and message for <paramref name="hardware"/> ("nvidia"); the condition's own where the catalog names none.</summary>
    public HardwareReady ReadyFor(string hardware) =>
        Hardware.FirstOrDefault(h => h.Name == hardware) ?? new HardwareReady(hardware, ReadyReason, ReadyMessage);
}

/// <summary>The ready reason a condition shows on a node with this hardware (catalog key <c>hardware:</c>).</summary>
public sealed record HardwareReady(string Name, string ReadyReason, string ReadyMessage);

/// <summary>
/// The merged catalog: built-in entries plus operator files, later files overriding by reason. Rules are in
/// precedence order: catalog order, with each rule moved ahead of the one its <see cref="ReasonRule.Before"/> names.
/// </summary>
public sealed record ReasonCatalog(
    ImmutableArray<ConditionDefinition> Conditions,
    ImmutableArray<ReasonRule> Rules)
{
    public IEnumerable<ReasonRule> RulesFor(string source) => Rules.Where(r => r.Source == source);

    public ConditionDefinition? Definition(ConditionType type) => Conditions.FirstOrDefault(c => c.Type == type);

    /// <summary>
    /// What <paramref name="reason"/> of <paramref name="condition"/> means; null when the catalog does not define it.
    /// A concrete reason of a family (<c>NvidiaXID79Error</c>) resolves to that value's rule; a value outside the
    /// family's allowed values (<c>NvidiaXID43Error</c> while 43 is not on the fatal list) is not defined.
    /// </summary>
    public ReasonRule? Rule(ConditionType condition, string reason)
    {
        foreach (var rule in Rules)
            if (rule.Condition == condition && rule.Reason == reason)
                return rule;
        foreach (var rule in Rules)
            if (rule.Condition == condition && rule.IsTemplate && rule.Family!.Resolve(rule, reason) is { } concrete)
                return concrete;
        return null;
    }
}

/// <summary>A catalog file that cannot be used, with the file and entry that are wrong.</summary>
public sealed class CatalogException(string message) : Exception(message);

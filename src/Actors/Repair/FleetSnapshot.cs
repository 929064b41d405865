using System.Collections.Immutable;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Repair;

/// <summary>One node condition as Kubernetes shows it (type is the Kubernetes condition type: <c>KernelReady</c>, <c>Ready</c>).</summary>
public sealed record ConditionSnapshot(string Type, ConditionStatus Status, string Reason, DateTimeOffset LastTransitionTime)
{
    /// <summary>Every fatal reason still active (the message lists them); empty means only <see cref="Reason"/>.</summary>
    public ImmutableArray<string> ActiveReasons { get; init; } = [];

    public IEnumerable<string> Reasons => ActiveReasons.IsDefaultOrEmpty ? [Reason] : ActiveReasons.Contains(Reason) ? ActiveReasons : ActiveReasons.Prepend(Reason);
}

/// <summary>A node as the repair decision sees it: its labels and annotations (pool, zone, opt-out) and its conditions.</summary>
public sealed record NodeSnapshot(string Name, ImmutableDictionary<string, string> Labels, ImmutableArray<ConditionSnapshot> Conditions)
{
    public ImmutableDictionary<string, string> Annotations { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ConditionSnapshot? Condition(string type) => Conditions.OrEmpty().FirstOrDefault(c => c.Type == type);
}

/// <summary>Every node of the fleet at one moment.</summary>
public sealed record FleetSnapshot(ImmutableArray<NodeSnapshot> Nodes);

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

/// <summary>
/// A node as the repair decision sees it: its labels and annotations (pool, zone, opt-out), its conditions, and its boot
/// as last reported (<see cref="BootId"/>, empty when unknown: a reboot is verified by its change).
/// </summary>
public sealed record NodeSnapshot(string Name, ImmutableDictionary<string, string> Labels, ImmutableArray<ConditionSnapshot> Conditions)
{
    public ImmutableDictionary<string, string> Annotations { get; init; } = ImmutableDictionary<string, string>.Empty;

    public string BootId { get; init; } = "";

    public ConditionSnapshot? Condition(string type) => Conditions.OrEmpty().FirstOrDefault(c => c.Type == type);
}

/// <summary><see cref="Count"/> nodes that carry <see cref="Labels"/> and have no condition but True: counted, never judged.</summary>
public sealed record HealthyNodes(ImmutableDictionary<string, string> Labels, int Count);

/// <summary>
/// Every node of the fleet at one moment. <see cref="Healthy"/> may stand for healthy nodes not listed in <see cref="Nodes"/>:
/// the decider counts them for their pools and zones exactly as if each were listed with no condition, without
/// looking at each (the simulator's 10,000-node fleets decide in time proportional to the unhealthy nodes).
/// </summary>
public sealed record FleetSnapshot(ImmutableArray<NodeSnapshot> Nodes)
{
    public ImmutableArray<HealthyNodes> Healthy { get; init; } = [];
}

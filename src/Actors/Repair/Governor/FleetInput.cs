using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Repair.Governor;

/// <summary>
/// What the Node object says about a node that repair reads: labels (pool, zone, opt-out), annotations (opt-out) and the
/// kubelet's Ready condition (null: the Node reports none).
/// </summary>
public sealed record NodeLabels(ImmutableDictionary<string, string> Labels, ImmutableDictionary<string, string> Annotations)
{
    public ConditionSnapshot? KubeletReady { get; init; }
}

/// <summary>The Node objects' labels and annotations by node name (the coordinator's node informer); without Kubernetes, none.</summary>
public interface INodeLabelSource
{
    NodeLabels? Of(string node);
}

/// <summary>The decision's input from the fleet view's node summaries and the Node objects' labels.</summary>
public static class FleetInput
{
    /// <summary>
    /// Every node the fleet view lists with our conditions as published (type, status, reason, lastTransitionTime and
    /// every active reason), its boot as last reported, and the kubelet's Ready from its Node object; a node whose Node
    /// object is deleted is left out (nothing is there to repair).
    /// </summary>
    public static FleetSnapshot From(IEnumerable<NodeSummary> nodes, INodeLabelSource? labels) => new(
    [
        .. nodes.Where(n => n.NodeObjectDeletedAt is null).Select(n =>
        {
            var known = labels?.Of(n.NodeName);
            ImmutableArray<ConditionSnapshot> conditions = [.. n.Conditions.OrEmpty().Select(Condition)];
            if (known?.KubeletReady is { } ready)
                conditions = conditions.Add(ready);
            return new NodeSnapshot(n.NodeName, known?.Labels ?? ImmutableDictionary<string, string>.Empty, conditions)
            {
                Annotations = known?.Annotations ?? ImmutableDictionary<string, string>.Empty,
                BootId = n.HostBootId ?? "",
            };
        }),
    ]);

    public static ConditionSnapshot Condition(ConditionState c) =>
        new(c.Type.ToString(), c.Status, c.Reason, GovernorRecords.Utc(c.LastTransitionTime))
        {
            ActiveReasons = [.. c.ActiveFaults.OrEmpty().Select(f => f.Reason)],
        };
}

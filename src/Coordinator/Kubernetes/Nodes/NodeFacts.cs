using System.Collections.Immutable;
using k8s.Models;

namespace NodeHealth.Coordinator.Kubernetes.Nodes;

/// <summary>
/// What the Node object says about a node that node-health uses: where it sits, whether it is cordoned, its boot id,
/// its uid (a Node deleted and re-created under the same name has a new one) and the kubelet's Ready condition.
/// </summary>
public sealed record NodeFacts(
    string Name,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableArray<string> Taints,
    bool Cordoned,
    string BootId,
    string Uid = "")
{
    public const string ZoneLabel = "topology.kubernetes.io/zone";
    public const string InstanceTypeLabel = "node.kubernetes.io/instance-type";

    /// <summary>Karpenter's node pool, else the EKS managed node group.</summary>
    public static readonly IReadOnlyList<string> PoolLabels = ["karpenter.sh/nodepool", "eks.amazonaws.com/nodegroup"];

    /// <summary>The Node's annotations (repair reads its opt-out key from them).</summary>
    public ImmutableSortedDictionary<string, string> Annotations { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The kubelet's own Ready condition (repair acts on it as EKS does); null when the Node reports none.</summary>
    public KubeletReady? Ready { get; init; }

    public string? Pool => PoolLabels.Select(l => Labels.GetValueOrDefault(l)).FirstOrDefault(v => v is not null);

    public string? Zone => Labels.GetValueOrDefault(ZoneLabel);

    public string? InstanceType => Labels.GetValueOrDefault(InstanceTypeLabel);

    public static NodeFacts From(V1Node node) => new(
        node.Metadata.Name,
        (node.Metadata.Labels ?? new Dictionary<string, string>()).ToImmutableSortedDictionary(StringComparer.Ordinal),
        [.. (node.Spec?.Taints ?? []).Select(t => t.Value is { Length: > 0 } value ? $"{t.Key}={value}:{t.Effect}" : $"{t.Key}:{t.Effect}")],
        node.Spec?.Unschedulable ?? false,
        node.Status?.NodeInfo?.BootID ?? "",
        node.Metadata.Uid ?? "")
    {
        Annotations = (node.Metadata.Annotations ?? new Dictionary<string, string>()).ToImmutableSortedDictionary(StringComparer.Ordinal),
        Ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { } ready
            ? new KubeletReady(ready.Status ?? "Unknown", ready.Reason ?? "", ready.LastTransitionTime)
            : null,
    };
}

/// <summary>The kubelet's Ready condition as the Node reports it: True, False or Unknown, why, and since when (null: not given).</summary>
public sealed record KubeletReady(string Status, string Reason, DateTime? Since);

using k8s.Models;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Replace;

/// <summary>
/// The object that owns a node and how it was recognised (<see cref="By"/>); without <see cref="Object"/>, By says what
/// was looked for, or (<see cref="Ambiguous"/>) which candidates competed.
/// </summary>
public sealed record NodeOwner(CustomObject? Object, string By, bool Ambiguous = false)
{
    public static NodeOwner None(string lookedFor) => new(null, lookedFor);
}

/// <summary>
/// Which Karpenter NodeClaim or Cluster API Machine owns a node, decided from the objects as read (pure). Several
/// candidates for the same link are refused rather than guessed: deleting the wrong one takes down a healthy node.
/// </summary>
public static class NodeOwners
{
    public const string MachineAnnotation = "cluster.x-k8s.io/machine";
    public const string ClusterNamespaceAnnotation = "cluster.x-k8s.io/cluster-namespace";

    /// <summary>Karpenter links a NodeClaim and its Node by status.nodeName, status.providerID and the Node's ownerReference; the first link that matches decides.</summary>
    public static NodeOwner NodeClaimOf(V1Node node, IReadOnlyList<CustomObject> claims)
    {
        var name = node.Metadata.Name;
        var providerId = node.Spec?.ProviderID;
        var owners = (node.Metadata.OwnerReferences ?? [])
            .Where(r => r.Kind == "NodeClaim" && (r.ApiVersion ?? "").StartsWith("karpenter.sh/", StringComparison.Ordinal))
            .Select(r => r.Uid).ToHashSet(StringComparer.Ordinal);
        return First(claims,
            ($"status.nodeName {name}", c => c.StatusString("nodeName") == name),
            ($"status.providerID {providerId}", c => !string.IsNullOrEmpty(providerId) && c.StatusString("providerID") == providerId),
            ("the node's ownerReference", c => owners.Contains(c.Metadata.Uid ?? "")))
            ?? NodeOwner.None(string.IsNullOrEmpty(providerId)
                ? $"a NodeClaim with status.nodeName {name}"
                : $"a NodeClaim with status.nodeName {name} or status.providerID {providerId}");
    }

    /// <summary>The Machine named by the annotations Cluster API's machine controller puts on the Node; null without them.</summary>
    public static (string Namespace, string Name)? AnnotatedMachine(V1Node node)
    {
        var annotations = node.Metadata.Annotations;
        return annotations is not null
               && annotations.TryGetValue(MachineAnnotation, out var machine) && !string.IsNullOrEmpty(machine)
               && annotations.TryGetValue(ClusterNamespaceAnnotation, out var ns) && !string.IsNullOrEmpty(ns)
            ? (ns, machine)
            : null;
    }

    /// <summary>Without the annotations: the Machine whose status.nodeRef names the node, or whose spec.providerID is the node's.</summary>
    public static NodeOwner MachineOf(V1Node node, IReadOnlyList<CustomObject> machines)
    {
        var name = node.Metadata.Name;
        var providerId = node.Spec?.ProviderID;
        return First(machines,
            ($"status.nodeRef {name}", m => m.StatusString("nodeRef", "name") == name),
            ($"spec.providerID {providerId}", m => !string.IsNullOrEmpty(providerId) && m.SpecString("providerID") == providerId))
            ?? NodeOwner.None(string.IsNullOrEmpty(providerId)
                ? $"the annotations {MachineAnnotation} and {ClusterNamespaceAnnotation} on the node, or a Machine with status.nodeRef {name}"
                : $"the annotations {MachineAnnotation} and {ClusterNamespaceAnnotation} on the node, or a Machine with status.nodeRef {name} or spec.providerID {providerId}");
    }

    /// <summary>Why an annotated Machine must not be deleted for this node (its nodeRef names another node); null when it may.</summary>
    public static string? MachineMismatch(V1Node node, CustomObject machine) =>
        machine.StatusString("nodeRef", "name") is { Length: > 0 } other && other != node.Metadata.Name
            ? $"Machine {machine} (named by the node's annotation {MachineAnnotation}) has status.nodeRef {other}, not {node.Metadata.Name}: not deleting it"
            : null;

    private static NodeOwner? First(IReadOnlyList<CustomObject> candidates, params (string By, Func<CustomObject, bool> Links)[] links)
    {
        foreach (var (by, matches) in links)
        {
            var found = candidates.Where(matches).ToList();
            if (found.Count == 1)
                return new NodeOwner(found[0], by);
            if (found.Count > 1)
                return new NodeOwner(null, $"{found.Count} match by {by} ({string.Join(", ", found)})", Ambiguous: true);
        }

        return null;
    }
}

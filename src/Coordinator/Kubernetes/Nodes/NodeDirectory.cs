using System.Collections.Immutable;
using k8s;
using k8s.Models;
using NodeHealth.Contracts;

namespace NodeHealth.Coordinator.Kubernetes.Nodes;

/// <summary>
/// The informer's view of every Node: replaced whole by a list, changed by each watch event.
/// Readers get an immutable snapshot; only the informer writes.
/// </summary>
public sealed class NodeDirectory
{
    private volatile ImmutableDictionary<string, NodeFacts> _nodes = ImmutableDictionary<string, NodeFacts>.Empty;

    public ImmutableDictionary<string, NodeFacts> Nodes => _nodes;

    public NodeFacts? Find(string name) => _nodes.GetValueOrDefault(name);

    /// <summary>A fresh list: nodes it lacks were deleted while no watch was looking. Answers what the entities must hear of it.</summary>
    public ImmutableArray<IWithNodeName> Replace(IEnumerable<V1Node> nodes)
    {
        var before = _nodes;
        _nodes = nodes.Select(NodeFacts.From).ToImmutableDictionary(n => n.Name, StringComparer.Ordinal);
        return NodeObjectChanges.Between(before, _nodes);
    }

    /// <summary>One watch event; answers what the entities must hear of it.</summary>
    public ImmutableArray<IWithNodeName> Apply(WatchEventType type, V1Node node)
    {
        var before = _nodes;
        _nodes = type switch
        {
            WatchEventType.Added or WatchEventType.Modified => _nodes.SetItem(node.Metadata.Name, NodeFacts.From(node)),
            WatchEventType.Deleted => _nodes.Remove(node.Metadata.Name),
            _ => _nodes,
        };
        return NodeObjectChanges.Between(before, _nodes);
    }
}

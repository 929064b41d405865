using System.Collections.Immutable;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Coordinator.Kubernetes.Nodes;

/// <summary>
/// What the node entities must hear when the informer's view changes: a Node that is new, re-created (another uid) or
/// booted again (another bootID), and a Node that is gone. Labels, taints and heartbeats are the directory's alone, so a
/// kubelet's status updates send nothing. Whatever is sent is idempotent: every coordinator sends the same.
/// </summary>
public static class NodeObjectChanges
{
    public static ImmutableArray<IWithNodeName> Between(ImmutableDictionary<string, NodeFacts> before, ImmutableDictionary<string, NodeFacts> after)
    {
        if (ReferenceEquals(before, after))
            return [];
        var commands = ImmutableArray.CreateBuilder<IWithNodeName>();
        foreach (var node in after.Values.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            if (before.GetValueOrDefault(node.Name) is not { } was || was.Uid != node.Uid || was.BootId != node.BootId)
                commands.Add(new ObserveNodeObject(node.Name, node.Uid, node.BootId));
        }

        foreach (var gone in before.Values.Where(n => !after.ContainsKey(n.Name)).OrderBy(n => n.Name, StringComparer.Ordinal))
            commands.Add(new ReportNodeDeleted(gone.Name, gone.Uid, NodeHealthMachine.DeletedByInformer));
        return commands.ToImmutable();
    }
}

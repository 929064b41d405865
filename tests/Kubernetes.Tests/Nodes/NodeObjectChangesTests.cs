using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Coordinator.Kubernetes.Nodes;

namespace NodeHealth.Kubernetes.Tests.Nodes;

/// <summary>What the informer tells the node entities: a new, re-created or rebooted Node, and a deleted one; nothing for a kubelet's status updates.</summary>
public sealed class NodeObjectChangesTests
{
    private static NodeFacts Facts(string name, string uid, string bootId, bool cordoned = false) =>
        new(name, ImmutableSortedDictionary<string, string>.Empty, [], cordoned, bootId, uid);

    private static ImmutableDictionary<string, NodeFacts> Directory(params NodeFacts[] nodes) => nodes.ToImmutableDictionary(n => n.Name);

    [Fact]
    public void The_first_list_tells_every_entity_its_Node()
    {
        var commands = NodeObjectChanges.Between(Directory(), Directory(Facts("node-b", "uid-b", "boot-b"), Facts("node-a", "uid-a", "boot-a")));

        Assert.Equal<IWithNodeName>([new ObserveNodeObject("node-a", "uid-a", "boot-a"), new ObserveNodeObject("node-b", "uid-b", "boot-b")], commands);
    }

    [Fact]
    public void A_cordon_or_a_label_change_tells_nothing_a_new_bootID_or_uid_does()
    {
        var before = Directory(Facts("node-a", "uid-a", "boot-a"), Facts("node-b", "uid-b", "boot-b"));

        Assert.Empty(NodeObjectChanges.Between(before, before.SetItem("node-a", Facts("node-a", "uid-a", "boot-a", cordoned: true))));
        Assert.Equal<IWithNodeName>([new ObserveNodeObject("node-a", "uid-a", "boot-a2"), new ObserveNodeObject("node-b", "uid-b2", "boot-b")],
            NodeObjectChanges.Between(before, before.SetItem("node-a", Facts("node-a", "uid-a", "boot-a2")).SetItem("node-b", Facts("node-b", "uid-b2", "boot-b"))));
    }

    [Fact]
    public void A_Node_missing_from_a_new_list_or_deleted_in_the_watch_is_reported_deleted_with_its_uid()
    {
        var commands = NodeObjectChanges.Between(Directory(Facts("node-a", "uid-a", "boot-a"), Facts("node-b", "uid-b", "boot-b")), Directory(Facts("node-a", "uid-a", "boot-a")));

        Assert.Equal<IWithNodeName>([new ReportNodeDeleted("node-b", "uid-b", "the node informer saw it deleted")], commands);
    }
}

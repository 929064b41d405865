using k8s;
using k8s.Models;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Coordinator.Repair.Replace;

namespace NodeHealth.Kubernetes.Tests.Repair;

/// <summary>Which NodeClaim or Machine owns a node, from objects in the shapes Karpenter v1 and Cluster API v1beta1 write.</summary>
public sealed class ReplaceOwnerTests
{
    private static V1Node Node(string json) => KubernetesJson.Deserialize<V1Node>(json);

    private static CustomObject Claim(string name, string? nodeName, string? providerId, string uid = "") => KubernetesJson.Deserialize<CustomObject>($$$"""
        {"apiVersion":"karpenter.sh/v1","kind":"NodeClaim",
         "metadata":{"name":"{{{name}}}","uid":"{{{uid}}}","finalizers":["karpenter.sh/termination"]},
         "spec":{"nodeClassRef":{"group":"karpenter.k8s.aws","kind":"EC2NodeClass","name":"default"}},
         "status":{"nodeName":{{{Quoted(nodeName)}}},"providerID":{{{Quoted(providerId)}}},"imageID":"ami-0abc"}}
        """);

    private static CustomObject Machine(string ns, string name, string? nodeRef, string? providerId = null) => KubernetesJson.Deserialize<CustomObject>($$$"""
        {"apiVersion":"cluster.x-k8s.io/v1beta1","kind":"Machine",
         "metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
         "spec":{"clusterName":"prod","providerID":{{{Quoted(providerId)}}}},
         "status":{"phase":"Running","nodeRef":{{{NodeRef(nodeRef)}}}}}
        """);

    private static string Quoted(string? value) => value is null ? "null" : $"\"{value}\"";

    private static string NodeRef(string? node) => node is null ? "null" : $"{{\"kind\":\"Node\",\"name\":\"{node}\"}}";

    private static readonly V1Node KarpenterNode = Node("""
        {"metadata":{"name":"ip-10-0-1-5.ec2.internal","ownerReferences":[{"apiVersion":"karpenter.sh/v1","kind":"NodeClaim","name":"gpu-x7k2p","uid":"c-1"}]},
         "spec":{"providerID":"aws:///us-west-2a/i-0123456789abcdef0"}}
        """);

    [Fact]
    public void The_NodeClaim_whose_status_names_the_node_owns_it()
    {
        var owner = NodeOwners.NodeClaimOf(KarpenterNode, [Claim("gpu-aaaaa", "ip-10-0-9-9.ec2.internal", "aws:///us-west-2a/i-0999"), Claim("gpu-x7k2p", "ip-10-0-1-5.ec2.internal", null)]);

        Assert.Equal("gpu-x7k2p", owner.Object?.Metadata.Name);
        Assert.Equal("status.nodeName ip-10-0-1-5.ec2.internal", owner.By);
    }

    [Fact]
    public void Before_Karpenter_writes_the_node_name_the_instance_id_links_them()
    {
        var owner = NodeOwners.NodeClaimOf(KarpenterNode, [Claim("gpu-x7k2p", null, "aws:///us-west-2a/i-0123456789abcdef0")]);

        Assert.Equal("gpu-x7k2p", owner.Object?.Metadata.Name);
        Assert.Equal("status.providerID aws:///us-west-2a/i-0123456789abcdef0", owner.By);
    }

    [Fact]
    public void The_nodes_ownerReference_links_a_NodeClaim_by_uid()
    {
        var owner = NodeOwners.NodeClaimOf(KarpenterNode, [Claim("gpu-x7k2p", null, null, uid: "c-1"), Claim("gpu-other", null, null, uid: "c-2")]);

        Assert.Equal("gpu-x7k2p", owner.Object?.Metadata.Name);
    }

    [Fact]
    public void Two_NodeClaims_naming_the_same_node_are_refused_rather_than_guessed()
    {
        var owner = NodeOwners.NodeClaimOf(KarpenterNode, [Claim("gpu-a", "ip-10-0-1-5.ec2.internal", null), Claim("gpu-b", "ip-10-0-1-5.ec2.internal", null)]);

        Assert.Null(owner.Object);
        Assert.True(owner.Ambiguous);
        Assert.Equal("2 match by status.nodeName ip-10-0-1-5.ec2.internal (gpu-a, gpu-b)", owner.By);
    }

    [Fact]
    public void No_NodeClaim_says_what_was_looked_for()
    {
        var owner = NodeOwners.NodeClaimOf(KarpenterNode, [Claim("gpu-a", "ip-10-0-9-9.ec2.internal", "aws:///us-west-2a/i-0999")]);

        Assert.Null(owner.Object);
        Assert.False(owner.Ambiguous);
        Assert.Equal("a NodeClaim with status.nodeName ip-10-0-1-5.ec2.internal or status.providerID aws:///us-west-2a/i-0123456789abcdef0", owner.By);
    }

    [Fact]
    public void Cluster_APIs_annotations_name_the_Machine_only_with_its_namespace()
    {
        var annotated = Node("""{"metadata":{"name":"prod-md-0-abc","annotations":{"cluster.x-k8s.io/machine":"prod-md-0-abc-xyz","cluster.x-k8s.io/cluster-namespace":"capi-prod"}}}""");
        var halfAnnotated = Node("""{"metadata":{"name":"prod-md-0-abc","annotations":{"cluster.x-k8s.io/machine":"prod-md-0-abc-xyz"}}}""");

        Assert.Equal<(string, string)?>(("capi-prod", "prod-md-0-abc-xyz"), NodeOwners.AnnotatedMachine(annotated));
        Assert.Null(NodeOwners.AnnotatedMachine(halfAnnotated));
    }

    [Fact]
    public void Without_annotations_the_Machine_whose_nodeRef_names_the_node_owns_it_in_any_namespace()
    {
        var node = Node("""{"metadata":{"name":"prod-md-0-abc"}}""");

        var owner = NodeOwners.MachineOf(node, [Machine("capi-dev", "dev-1", "dev-md-0-q"), Machine("capi-prod", "prod-md-0-abc-xyz", "prod-md-0-abc")]);

        Assert.Equal("capi-prod/prod-md-0-abc-xyz", owner.Object?.ToString());
        Assert.Equal("status.nodeRef prod-md-0-abc", owner.By);
    }

    [Fact]
    public void An_annotated_Machine_whose_nodeRef_names_another_node_is_not_deleted()
    {
        var node = Node("""{"metadata":{"name":"prod-md-0-abc"}}""");

        Assert.Equal("Machine capi-prod/prod-md-0-abc-xyz (named by the node's annotation cluster.x-k8s.io/machine) has status.nodeRef prod-md-0-zzz, not prod-md-0-abc: not deleting it",
            NodeOwners.MachineMismatch(node, Machine("capi-prod", "prod-md-0-abc-xyz", "prod-md-0-zzz")));
        Assert.Null(NodeOwners.MachineMismatch(node, Machine("capi-prod", "prod-md-0-abc-xyz", "prod-md-0-abc")));
        Assert.Null(NodeOwners.MachineMismatch(node, Machine("capi-prod", "prod-md-0-abc-xyz", null)));
    }
}

using System.Text.Json.Nodes;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>NodeClaims and Machines as Karpenter and Cluster API write them, and the Nodes they own.</summary>
public static class CustomObjectSamples
{
    public const string KarpenterFinalizer = "karpenter.sh/termination";
    public const string MachineFinalizer = "machine.cluster.x-k8s.io";

    public static string ProviderId(string instance) => $"aws:///us-west-2a/{instance}";

    /// <summary>A registered NodeClaim: its node's name and instance in status, Karpenter's finalizer (unless <paramref name="finalizers"/> is false).</summary>
    public static JsonObject NodeClaim(string name, string? nodeName, string? instance, bool finalizers = true) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject { ["karpenter.sh/nodepool"] = "gpu" },
            ["finalizers"] = finalizers ? new JsonArray(KarpenterFinalizer) : new JsonArray(),
        },
        ["spec"] = new JsonObject { ["nodeClassRef"] = new JsonObject { ["group"] = "karpenter.k8s.aws", ["kind"] = "EC2NodeClass", ["name"] = "default" } },
        ["status"] = new JsonObject
        {
            ["nodeName"] = nodeName,
            ["providerID"] = instance is null ? null : ProviderId(instance),
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Registered", ["status"] = "True" }),
        },
    };

    /// <summary>A Machine with its node in status.nodeRef and Cluster API's finalizer (unless <paramref name="finalizers"/> is false).</summary>
    public static JsonObject Machine(string ns, string name, string? nodeName, string? instance = null, bool finalizers = true) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { ["cluster.x-k8s.io/cluster-name"] = "prod", ["cluster.x-k8s.io/deployment-name"] = "prod-gpu" },
            ["finalizers"] = finalizers ? new JsonArray(MachineFinalizer) : new JsonArray(),
        },
        ["spec"] = new JsonObject
        {
            ["clusterName"] = "prod",
            ["providerID"] = instance is null ? null : ProviderId(instance),
        },
        ["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["nodeRef"] = nodeName is null ? null : new JsonObject { ["kind"] = "Node", ["apiVersion"] = "v1", ["name"] = nodeName },
        },
    };

    /// <summary>A kubelet's Node with the cloud's providerID.</summary>
    public static JsonObject Node(string name, string? instance = null)
    {
        var node = NodeObjects.Kubelet(name);
        if (instance is not null)
            node["spec"]!["providerID"] = ProviderId(instance);
        return node;
    }

    /// <summary>A Node with the annotations Cluster API's machine controller writes.</summary>
    public static JsonObject ClusterApiNode(string name, string ns, string machine)
    {
        var node = Node(name);
        node["metadata"]!["annotations"] = new JsonObject
        {
            ["cluster.x-k8s.io/cluster-name"] = "prod",
            ["cluster.x-k8s.io/cluster-namespace"] = ns,
            ["cluster.x-k8s.io/machine"] = machine,
            ["cluster.x-k8s.io/owner-kind"] = "MachineSet",
            ["cluster.x-k8s.io/owner-name"] = "prod-gpu-5d8f9",
        };
        return node;
    }
}

using k8s.Models;
using NodeHealth.Coordinator.Kubernetes.Nodes;

namespace NodeHealth.Kubernetes.Tests.Nodes;

/// <summary>What node-health reads from a Node object, as the API server sends it.</summary>
public sealed class NodeFactsTests
{
    private static V1Node Node(params V1NodeCondition[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = "node-a", Uid = "uid-a", Labels = new Dictionary<string, string> { ["karpenter.sh/nodepool"] = "gpu" } },
        Spec = new V1NodeSpec { Unschedulable = true },
        Status = new V1NodeStatus { Conditions = conditions, NodeInfo = new V1NodeSystemInfo { BootID = "boot-1" } },
    };

    [Fact]
    public void The_kubelets_Ready_condition_is_read_with_its_reason_and_transition_time()
    {
        var since = new DateTime(2026, 11, 28, 4, 0, 0, DateTimeKind.Utc);

        var facts = NodeFacts.From(Node(
            new V1NodeCondition { Type = "MemoryPressure", Status = "False" },
            new V1NodeCondition { Type = "Ready", Status = "False", Reason = "KubeletNotReady", LastTransitionTime = since }));

        Assert.Equal(new KubeletReady("False", "KubeletNotReady", since), facts.Ready);
        Assert.Equal(("gpu", true, "boot-1"), (facts.Pool, facts.Cordoned, facts.BootId));
    }

    [Fact]
    public void A_Node_without_a_Ready_condition_has_none() =>
        Assert.Null(NodeFacts.From(Node()).Ready);
}

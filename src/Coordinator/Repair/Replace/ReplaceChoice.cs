using System.Collections.Immutable;

namespace NodeHealth.Coordinator.Repair.Replace;

/// <summary>How a node is replaced: what is deleted so that something else brings a new one.</summary>
public enum ReplaceProvider
{
    /// <summary>The Node object; whatever manages the machine (Karpenter, Cluster API, cluster-autoscaler, EKS node auto repair) replaces it.</summary>
    DeleteNode = 0,

    /// <summary>The Karpenter NodeClaim that owns the node: Karpenter drains it, terminates the instance and provisions anew.</summary>
    Karpenter = 1,

    /// <summary>The Cluster API Machine that owns the node: its MachineSet or MachineDeployment creates a new Machine.</summary>
    ClusterApi = 2,

    /// <summary>The EC2 instance, through its Auto Scaling group without decrementing the desired capacity: the group launches a new one.</summary>
    AutoScaling = 3,
}

/// <summary>The provider of each pool (the governor's pool names); every other pool gets <see cref="Default"/>.</summary>
public sealed record ReplaceChoice(ReplaceProvider Default, ImmutableDictionary<string, ReplaceProvider> Pools)
{
    public static readonly ReplaceChoice DeleteNodeEverywhere = new(ReplaceProvider.DeleteNode, ImmutableDictionary<string, ReplaceProvider>.Empty);

    public ReplaceProvider For(string pool) => Pools.TryGetValue(pool, out var provider) ? provider : Default;
}

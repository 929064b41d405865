using k8s.Models;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Replace;

/// <summary>
/// Deletes the Karpenter NodeClaim (karpenter.sh/v1) that owns the node: Karpenter drains the node, terminates the
/// instance and provisions a new one if pods need it, as its own node repair does.
/// </summary>
internal sealed class KarpenterProvider(KubernetesApi api) : IReplaceProvider
{
    public async Task<StepOutcome> ReplaceAsync(V1Node node, CancellationToken cancellation)
    {
        var name = node.Metadata.Name;
        var listed = await api.ListNodeClaimsAsync(cancellation);
        if (listed.Failure is { IsNotFound: true })
            return StepOutcome.Failed("the API server does not serve karpenter.sh/v1 nodeclaims (Karpenter v1 is not installed); " +
                                      "set this pool's provider (Repair:Replace:Pools) to DeleteNode or ClusterApi");
        if (listed.Failure is { } failure)
            return ReplaceOutcomes.From(failure, "listing Karpenter NodeClaims");

        var owner = NodeOwners.NodeClaimOf(node, listed.Value!.Items);
        if (owner.Ambiguous)
            return StepOutcome.Failed($"several NodeClaims could own node {name}: {owner.By}; not deleting any");
        if (owner.Object is not { } claim)
            return StepOutcome.Failed($"no Karpenter NodeClaim owns node {name} (looked for {owner.By}); Karpenter does not manage it: " +
                                      "set this pool's provider (Repair:Replace:Pools) to DeleteNode or ClusterApi");
        if (claim.Metadata.DeletionTimestamp is { } since)
            return StepOutcome.Done($"NodeClaim {claim} of node {name} is being deleted{ReplaceOutcomes.Since(since)}: Karpenter is already replacing it");

        var deleted = await api.DeleteNodeClaimAsync(claim.Metadata.Name, claim.Metadata.Uid, cancellation);
        if (deleted.Failure is { IsNotFound: true })
            return StepOutcome.Done($"NodeClaim {claim} of node {name} is gone: already replaced");
        if (deleted.Failure is { } refused)
            return ReplaceOutcomes.From(refused, $"deleting NodeClaim {claim} of node {name}");
        return StepOutcome.Done($"deleted NodeClaim {claim} (found by {owner.By}); Karpenter drains node {name}, terminates its instance and provisions a replacement if pods need one");
    }
}

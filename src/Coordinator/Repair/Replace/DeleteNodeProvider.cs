using k8s.Models;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Replace;

/// <summary>
/// Deletes the Node object. The machine is replaced by whatever notices a Node disappear: Karpenter's termination
/// finalizer, a Cluster API MachineHealthCheck, cluster-autoscaler's unregistered-node cleanup, EKS node auto repair.
/// </summary>
internal sealed class DeleteNodeProvider(KubernetesApi api) : IReplaceProvider
{
    public async Task<StepOutcome> ReplaceAsync(V1Node node, CancellationToken cancellation)
    {
        var name = node.Metadata.Name;
        var deleted = await api.DeleteNodeAsync(name, node.Metadata.Uid, cancellation);
        if (deleted.Failure is { IsNotFound: true })
            return StepOutcome.Done($"node {name} is gone: already replaced");
        if (deleted.Failure is { } failure)
            return ReplaceOutcomes.From(failure, $"deleting node {name}");
        var finalizers = node.Metadata.Finalizers is { Count: > 0 } f ? $" (its finalizers {string.Join(", ", f)} run first)" : "";
        return StepOutcome.Done($"deleted node {name}{finalizers}; what manages its machine brings a replacement");
    }
}

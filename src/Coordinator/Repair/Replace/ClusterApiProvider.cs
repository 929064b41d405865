using k8s.Models;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Replace;

/// <summary>
/// Deletes the Cluster API Machine (cluster.x-k8s.io/v1beta1) that owns the node, as a MachineHealthCheck does: the
/// Machine's MachineSet creates a new one. Machines live in the management cluster, so this works where node-health's
/// API server holds them (a self-managed cluster).
/// </summary>
internal sealed class ClusterApiProvider(KubernetesApi api) : IReplaceProvider
{
    private const string NotServed = "the API server does not serve cluster.x-k8s.io/v1beta1 machines (Cluster API is not installed here, " +
                                     "or the Machines live in a management cluster node-health does not talk to); " +
                                     "set this pool's provider (Repair:Replace:Pools) to DeleteNode or Karpenter";

    public async Task<StepOutcome> ReplaceAsync(V1Node node, CancellationToken cancellation)
    {
        var name = node.Metadata.Name;
        CustomObject machine;
        string by;
        if (NodeOwners.AnnotatedMachine(node) is { } annotated)
        {
            var (ns, machineName) = annotated;
            var read = await api.GetMachineAsync(ns, machineName, cancellation);
            if (read.Failure is { IsNotFound: true })
                return await Gone(ns, machineName, name, cancellation);
            if (read.Failure is { } failure)
                return ReplaceOutcomes.From(failure, $"reading Machine {ns}/{machineName} of node {name}");
            machine = read.Value!;
            by = $"the annotation {NodeOwners.MachineAnnotation}";
            if (NodeOwners.MachineMismatch(node, machine) is { } mismatch)
                return StepOutcome.Failed(mismatch);
        }
        else
        {
            var listed = await api.ListMachinesAsync(cancellation);
            if (listed.Failure is { IsNotFound: true })
                return StepOutcome.Failed(NotServed);
            if (listed.Failure is { } failure)
                return ReplaceOutcomes.From(failure, "listing Cluster API Machines");
            var owner = NodeOwners.MachineOf(node, listed.Value!.Items);
            if (owner.Ambiguous)
                return StepOutcome.Failed($"several Machines could own node {name}: {owner.By}; not deleting any");
            if (owner.Object is null)
                return StepOutcome.Failed($"no Cluster API Machine owns node {name} (looked for {owner.By}); Cluster API does not manage it: " +
                                          "set this pool's provider (Repair:Replace:Pools) to DeleteNode or Karpenter");
            (machine, by) = (owner.Object, owner.By);
        }

        if (machine.Metadata.DeletionTimestamp is { } since)
            return StepOutcome.Done($"Machine {machine} of node {name} is being deleted{ReplaceOutcomes.Since(since)}: Cluster API is already replacing it");
        var deleted = await api.DeleteMachineAsync(machine.Metadata.NamespaceProperty, machine.Metadata.Name, machine.Metadata.Uid, cancellation);
        if (deleted.Failure is { IsNotFound: true })
            return StepOutcome.Done($"Machine {machine} of node {name} is gone: already replaced");
        if (deleted.Failure is { } refused)
            return ReplaceOutcomes.From(refused, $"deleting Machine {machine} of node {name}");
        return StepOutcome.Done($"deleted Machine {machine} (found by {by}); Cluster API drains node {name} and its MachineSet creates a replacement");
    }

    /// <summary>A 404 for the Machine also answers a cluster without Cluster API (the usual workload cluster): only a served kind makes it "gone".</summary>
    private async Task<StepOutcome> Gone(string ns, string machine, string node, CancellationToken cancellation)
    {
        var listed = await api.ListMachinesAsync(cancellation);
        if (listed.Failure is { IsNotFound: true })
            return StepOutcome.Failed(NotServed);
        if (listed.Failure is { } failure)
            return ReplaceOutcomes.From(failure, $"checking whether Machine {ns}/{machine} of node {node} is gone");
        return StepOutcome.Done($"Machine {ns}/{machine} of node {node} is gone: already replaced");
    }
}

using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Drain;

/// <summary>
/// Cordons a node for a repair and lifts only that cordon afterwards (<see cref="Cordons"/>). Both read the Node first and
/// write conditionally on its version, so a retry, a failover or an operator acting at the same moment never flips a
/// cordon node-health does not hold.
/// </summary>
public sealed class NodeCordon(KubernetesApi api, TimeProvider clock) : INodeCordon
{
    public async Task<StepOutcome> CordonAsync(string node, CancellationToken cancellation)
    {
        var read = await api.GetNodeAsync(node, cancellation);
        if (read.Value is not { } current)
            return read.Failure is { IsNotFound: true } gone ? Gone(node, gone, "cordon") : CallOutcome.Of(read.Failure!, $"reading node {node}");
        switch (Cordons.HolderOf(current))
        {
            case CordonHolder.Repair:
                return StepOutcome.Done($"node {node} is cordoned for this repair");
            case CordonHolder.Other:
                return StepOutcome.Done($"node {node} was already cordoned by someone else; it stays cordoned after the repair");
        }

        var written = await api.PatchNodeAsync(node, Cordons.CordonPatch(current.Metadata.ResourceVersion, clock.GetUtcNow()), cancellation);
        if (written.Failure is { } failure)
            return failure.IsNotFound ? Gone(node, failure, "cordon") : CallOutcome.Of(failure, $"cordoning node {node}");
        return StepOutcome.Done($"cordoned node {node}");
    }

    public async Task<StepOutcome> UncordonAsync(string node, CancellationToken cancellation)
    {
        var read = await api.GetNodeAsync(node, cancellation);
        if (read.Value is not { } current)
            return read.Failure is { IsNotFound: true }
                ? StepOutcome.Done($"node {node} is gone (replaced): nothing to uncordon")
                : CallOutcome.Of(read.Failure!, $"reading node {node}");
        var ours = current.Metadata?.Annotations?.ContainsKey(Cordons.Annotation) == true;
        if (!ours)
            return Cordons.HolderOf(current) == CordonHolder.Other
                ? StepOutcome.Done($"node {node} stays cordoned: someone else cordoned it, not node-health")
                : StepOutcome.Done($"node {node} is schedulable");

        // Our mark goes even when someone uncordoned the node meanwhile: it must not outlive the repair.
        var written = await api.PatchNodeAsync(node, Cordons.UncordonPatch(current.Metadata!.ResourceVersion), cancellation);
        if (written.Failure is { } failure)
            return failure.IsNotFound ? StepOutcome.Done($"node {node} is gone (replaced): nothing to uncordon") : CallOutcome.Of(failure, $"uncordoning node {node}");
        return StepOutcome.Done($"uncordoned node {node}");
    }

    private static StepOutcome Gone(string node, ApiFailure failure, string step) =>
        StepOutcome.Failed($"node {node} is gone ({failure}): nothing to {step}");
}

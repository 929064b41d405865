using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Health;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Coordinator.Repair.Faults;

/// <summary>
/// Clears what a verified repair repaired through the node's entity (the shard region, from any coordinator), with the
/// operator's message (<see cref="ClearFault"/>) under the repair's cause; the entity records a FaultsCleared only for
/// faults still active.
/// </summary>
public sealed class EntityFaultClearer(IRequiredActor<NodeHealthRegion> region) : INodeFaultClearer
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public async Task<StepOutcome> ClearRepairedAsync(string node, string condition, DateTimeOffset repairStarted, string cause, CancellationToken cancellation)
    {
        if (!NodeNames.IsValid(node))
            return StepOutcome.Failed($"'{node}' is not a valid node name");
        if (RepairConditions.Ours(condition) is not { } type)
            return StepOutcome.Done($"{condition} is not a condition of node-health's (the kubelet's own): no fault of it to clear");
        var entities = await region.GetAsync(cancellation);
        try
        {
            return Of(node, condition, cause, await entities.Ask<object>(new ClearFault(node, type, "", "", cause, repairStarted.UtcDateTime), AskTimeout, cancellation));
        }
        catch (AskTimeoutException)
        {
            return StepOutcome.Retry($"node {node}'s health entity did not answer within {AskTimeout.TotalSeconds:0}s (a shard moving after a failover); retry");
        }
    }

    /// <summary>The entity's answer as the step's outcome.</summary>
    public static StepOutcome Of(string node, string condition, string cause, object reply) => reply switch
    {
        NodeHealthState => StepOutcome.Done($"cleared what was still active of {condition} on node {node}: {cause}"),
        FaultNotActive => StepOutcome.Done($"nothing left to clear: {condition} of node {node} has no fault active since before the repair"),
        NodeNotFound => StepOutcome.Done($"nothing to clear: no agent has ever reported for node {node}"),
        _ => StepOutcome.Retry($"node {node}'s health entity answered the clear with {reply.GetType().Name}"),
    };
}

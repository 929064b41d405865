using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Health;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Coordinator.Repair.Reboot;

/// <summary>
/// Reboots a node through its agent: asks the node's entity (through the shard region, from any coordinator) for a
/// reboot command under the repair's id. The entity records it once and sends it down whichever coordinator's stream the
/// agent holds, now and at every reconnect, until the agent answers. The answer is awaited for <see cref="AnswerWithin"/>;
/// after that the step is retried (asking again with the id never sends a second command).
/// </summary>
public sealed class AgentRebooter(IRequiredActor<NodeHealthRegion> region, TimeProvider clock) : INodeRebooter
{
    public static readonly TimeSpan DefaultAnswerWithin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one call waits for a connected agent's answer before answering Retry.</summary>
    public TimeSpan AnswerWithin { get; init; } = DefaultAnswerWithin;

    public async Task<StepOutcome> RebootAsync(string node, string repairId, CancellationToken cancellation)
    {
        if (!NodeNames.IsValid(node))
            return StepOutcome.Failed($"'{node}' is not a valid node name");
        if (AgentCommandIds.Problem(repairId) is { } problem)
            return StepOutcome.Failed($"repair id '{repairId}' cannot name a reboot command: {problem}");
        var entities = await region.GetAsync(cancellation);
        var deadline = clock.GetUtcNow() + AnswerWithin;
        while (true)
        {
            object reply;
            try
            {
                reply = await entities.Ask<object>(new RequestAgentCommand(node, repairId, AgentCommandKind.Reboot), AskTimeout, cancellation);
            }
            catch (AskTimeoutException)
            {
                return StepOutcome.Retry($"node {node}'s health entity did not answer within {AskTimeout.TotalSeconds:0}s (a shard moving after a failover); retry");
            }

            var outcome = RebootOutcome.Of(node, repairId, reply);
            if (outcome.Status != StepStatus.Retry || reply is not AgentCommandStatus { AgentConnected: true } || clock.GetUtcNow() >= deadline)
                return outcome;
            await Task.Delay(PollEvery, clock, cancellation);
        }
    }
}

using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Coordinator.Repair.Reboot;

/// <summary>What the node's entity answered about a reboot command, as the repair step's outcome (pure).</summary>
public static class RebootOutcome
{
    public static StepOutcome Of(string node, string repairId, object reply) => reply switch
    {
        NodeNotFound => StepOutcome.Failed($"no agent has ever reported for node {node}: it cannot be rebooted through one"),
        AgentCommandStatus status => Of(node, repairId, status),
        _ => StepOutcome.Retry($"node {node}'s health entity answered the reboot command with {reply.GetType().Name}"),
    };

    public static StepOutcome Of(string node, string repairId, AgentCommandStatus status)
    {
        var command = status.Command;
        var on = command.AnsweredOnHostBootId is { Length: > 0 } boot ? $" on boot {boot}" : "";
        return command.Outcome switch
        {
            AgentCommandOutcome.Accepted => StepOutcome.Done($"node {node}'s agent accepted the reboot of repair {repairId}{on}: {command.Detail}")
                with { ForHostBootId = AskedOn(command) },
            // The reboot the command was for has happened (the agent refuses to reboot a boot it was not asked about).
            AgentCommandOutcome.Refused when RebootedSince(command, status.HostBootId) =>
                StepOutcome.Done($"node {node} rebooted since the reboot of repair {repairId} was asked for (boot {command.ForHostBootId} → {status.HostBootId}); it was not rebooted again")
                    with { ForHostBootId = AskedOn(command) },
            AgentCommandOutcome.Refused => StepOutcome.Failed($"node {node}'s agent refused the reboot of repair {repairId}: {command.Detail}"),
            AgentCommandOutcome.Failed => StepOutcome.Failed($"node {node}'s agent could not reboot (repair {repairId}){on}: {command.Detail}"),
            _ when !status.AgentConnected => StepOutcome.Retry(
                $"the reboot of repair {repairId} waits for node {node}'s agent: no agent stream is connected (it is sent when the agent connects)"),
            _ => StepOutcome.Retry($"the reboot of repair {repairId} was sent to node {node}'s agent at {command.RequestedAt:o}; waiting for its answer"),
        };
    }

    /// <summary>The boot the reboot was asked on: the entity's when it recorded the command, else the one the agent answered on.</summary>
    private static string AskedOn(AgentCommandState command) => command.ForHostBootId.Length > 0 ? command.ForHostBootId : command.AnsweredOnHostBootId ?? "";

    private static bool RebootedSince(AgentCommandState command, string hostBootId) =>
        command.ForHostBootId.Length > 0 && hostBootId.Length > 0 && hostBootId != command.ForHostBootId;
}

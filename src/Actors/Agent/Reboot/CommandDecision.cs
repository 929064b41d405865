using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Agent.Reboot;

/// <summary>What to do with a command that arrived: answer it (from the ledger, or refusing), run it, or nothing (it is running).</summary>
public abstract record CommandVerdict
{
    public sealed record Answer(AgentCommandResult Result) : CommandVerdict;

    public sealed record Execute : CommandVerdict;

    /// <summary>A re-send of the command being executed right now: its result follows when it ends.</summary>
    public sealed record AlreadyRunning : CommandVerdict;
}

/// <summary>The agent's side of "at most once per id" (pure): the ledger's record of an id wins over everything else.</summary>
public static class CommandDecision
{
    public static CommandVerdict Decide(AgentCommand command, CommandRecord? recorded, bool running, string hostBootId, RebootSettings settings)
    {
        if (running)
            return new CommandVerdict.AlreadyRunning();
        if (recorded is not null)
            return new CommandVerdict.Answer(Recorded(recorded, hostBootId));
        if (command.Kind != AgentCommandKind.Reboot)
            return Refuse(command, hostBootId, $"this agent does not know command kind {command.Kind}");
        if (!settings.Enabled)
            return Refuse(command, hostBootId, RebootSettings.NotEnabled);
        // Asked for a boot this host is not on: it rebooted since, or it is another machine under the node's name.
        if (command.ForHostBootId.Length > 0 && hostBootId.Length > 0 && command.ForHostBootId != hostBootId)
            return Refuse(command, hostBootId,
                $"the reboot was asked for boot {command.ForHostBootId}, this host is on boot {hostBootId} (it rebooted since, or is another machine): not rebooting");
        return new CommandVerdict.Execute();
    }

    /// <summary>
    /// A command already handled is answered as it was. One still marked Started (the agent stopped while it ran) was
    /// started and is never run again: Accepted, and the boot id tells whether the host did reboot.
    /// </summary>
    public static AgentCommandResult Recorded(CommandRecord recorded, string hostBootId) => recorded.Progress switch
    {
        CommandProgress.Started => new(recorded.Id, AgentCommandOutcome.Accepted,
            $"the reboot was started at {recorded.At:o} on boot {recorded.HostBootId}; the agent stopped before it finished (this host is on boot {hostBootId} now)",
            recorded.HostBootId),
        CommandProgress.Accepted => new(recorded.Id, AgentCommandOutcome.Accepted, recorded.Detail, recorded.HostBootId),
        CommandProgress.Refused => new(recorded.Id, AgentCommandOutcome.Refused, recorded.Detail, recorded.HostBootId),
        _ => new(recorded.Id, AgentCommandOutcome.Failed, recorded.Detail, recorded.HostBootId),
    };

    private static CommandVerdict.Answer Refuse(AgentCommand command, string hostBootId, string why) =>
        new(new AgentCommandResult(command.Id, AgentCommandOutcome.Refused, why, hostBootId));
}

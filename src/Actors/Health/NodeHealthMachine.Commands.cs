using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Health;

/// <summary>
/// Commands for the node's agent (a reboot): recorded once per id, sent to every stream the agent opens until it
/// answers, the answer recorded once. Each is bound to the boot the node was on when it was asked for, so an agent on
/// another boot (rebooted since, or a replacement machine) does not run a command meant for the machine before it.
/// </summary>
public static partial class NodeHealthMachine
{
    /// <summary>Answered commands kept for repeats of their ids (unanswered ones are always kept).</summary>
    public const int AnsweredCommandsKept = 32;

    /// <summary>A known id answers from the state (no second command); a new one is recorded, for the node's boot as last reported.</summary>
    public static (AgentCommandRequested? Event, AgentCommandState Command) Decide(this NodeHealthState state, RequestAgentCommand request, DateTime now)
    {
        if (state.Commands.FirstOrDefault(c => c.Id == request.Id) is { } known)
            return (null, known);
        var requested = new AgentCommandRequested(state.NodeName, now, request.Id, request.Kind, state.HostBootId);
        return (requested, StateOf(requested));
    }

    /// <summary>The first answer to a command of this node counts; repeats (the agent answers every re-send) and strangers change nothing.</summary>
    public static AgentCommandAnswered? Decide(this NodeHealthState state, RecordAgentCommandResult report, DateTime now)
    {
        var result = report.Result;
        if (state.Commands.FirstOrDefault(c => c.Id == result.Id) is not { IsAnswered: false } || result.Outcome == AgentCommandOutcome.Unknown)
            return null;
        return new AgentCommandAnswered(state.NodeName, now, result.Id, result.Outcome, result.Detail, result.HostBootId);
    }

    /// <summary>What a newly attached stream (a hello, a heartbeat) is sent: every command the agent has not answered, oldest first.</summary>
    public static ImmutableArray<AgentCommand> UnansweredCommands(this NodeHealthState state) =>
        [.. state.Commands.Where(c => !c.IsAnswered).Select(c => c.ToWire())];

    private static NodeHealthState ApplyRequested(this NodeHealthState state, AgentCommandRequested e) =>
        state with { Commands = Trimmed(state.Commands.Add(StateOf(e))), LastUpdated = e.RecordedAt };

    private static NodeHealthState ApplyAnswered(this NodeHealthState state, AgentCommandAnswered e) => state with
    {
        Commands = Trimmed([.. state.Commands.Select(c => c.Id == e.Id
            ? c with { Outcome = e.Outcome, Detail = e.Detail, AnsweredOnHostBootId = e.HostBootId, AnsweredAt = e.RecordedAt }
            : c)]),
        LastUpdated = e.RecordedAt,
    };

    private static AgentCommandState StateOf(AgentCommandRequested e) => new(e.Id, e.Kind, e.RecordedAt, e.ForHostBootId);

    /// <summary>Drops the oldest answered commands past <see cref="AnsweredCommandsKept"/>; order is kept.</summary>
    private static ImmutableArray<AgentCommandState> Trimmed(ImmutableArray<AgentCommandState> commands)
    {
        var excess = commands.Count(c => c.IsAnswered) - AnsweredCommandsKept;
        if (excess <= 0)
            return commands;
        var dropped = commands.Where(c => c.IsAnswered).Take(excess).ToHashSet();
        return [.. commands.Where(c => !dropped.Contains(c))];
    }
}

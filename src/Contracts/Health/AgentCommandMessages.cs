using System.Collections.Immutable;
using NodeHealth.Contracts.Wire;
using ProtoBuf;

namespace NodeHealth.Contracts.Health;

/// <summary>
/// Send command <see cref="Id"/> to the node's agent (once: asking again with the id answers what is known of it).
/// Replies <see cref="AgentCommandStatus"/>, or <see cref="NodeNotFound"/> for a node no agent ever reported for.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RequestAgentCommand(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] string Id,
    [property: ProtoMember(3)] AgentCommandKind Kind) : IHealthProtocolMessage, IWithNodeName;

/// <summary>
/// The command as the entity knows it; <see cref="AgentConnected"/>: an agent stream is attached to the entity now;
/// <see cref="HostBootId"/>: the node's boot as last reported.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AgentCommandStatus(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] AgentCommandState Command,
    [property: ProtoMember(3)] bool AgentConnected,
    [property: ProtoMember(4)] string HostBootId) : IHealthProtocolMessage;

/// <summary>
/// Sent by the coordinator-local actor of an agent's stream (the sender) after the hello and with every heartbeat: commands
/// for the node go to it. No reply; the entity sends it <see cref="DeliverAgentCommands"/> while any are unanswered.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AttachAgentStream(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] string AgentBootId) : IHealthProtocolMessage, IWithNodeName;

/// <summary>Entity → the node's stream: send these to the agent (every unanswered command; the agent ignores repeats).</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record DeliverAgentCommands(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] ImmutableArray<AgentCommand> Commands) : IHealthProtocolMessage;

/// <summary>The agent answered a command (from its stream). No reply: an answer not recorded is given again when the command is re-sent.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RecordAgentCommandResult(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] AgentCommandResult Result) : IHealthProtocolMessage, IWithNodeName;

/// <summary>A command was asked for (the first time for its id); it goes to every stream of the node until the agent answers.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AgentCommandRequested(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string Id,
    [property: ProtoMember(4)] AgentCommandKind Kind,
    [property: ProtoMember(5)] string ForHostBootId) : INodeHealthEvent;

/// <summary>The agent's answer to a command (the first one; repeats change nothing).</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AgentCommandAnswered(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string Id,
    [property: ProtoMember(4)] AgentCommandOutcome Outcome,
    [property: ProtoMember(5)] string Detail,
    [property: ProtoMember(6)] string HostBootId) : INodeHealthEvent;

/// <summary>
/// One command of the node: <see cref="Outcome"/> Unknown while the agent has not answered; then the agent's
/// <see cref="Detail"/>, the boot it ran on (<see cref="AnsweredOnHostBootId"/>) and when the answer was recorded.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AgentCommandState(
    [property: ProtoMember(1)] string Id,
    [property: ProtoMember(2)] AgentCommandKind Kind,
    [property: ProtoMember(3)] DateTime RequestedAt,
    [property: ProtoMember(4)] string ForHostBootId,
    [property: ProtoMember(5)] AgentCommandOutcome Outcome = AgentCommandOutcome.Unknown,
    [property: ProtoMember(6)] string Detail = "",
    [property: ProtoMember(7)] string AnsweredOnHostBootId = "",
    [property: ProtoMember(8)] DateTime? AnsweredAt = null) : IHealthProtocolMessage
{
    public bool IsAnswered => Outcome != AgentCommandOutcome.Unknown;

    public AgentCommand ToWire() => new(Id, Kind, RequestedAt, ForHostBootId);
}

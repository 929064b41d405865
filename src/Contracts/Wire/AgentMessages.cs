using System.Collections.Immutable;
using ProtoBuf;

namespace NodeHealth.Contracts.Wire;

/// <summary>
/// First message on every stream: binds the stream to one node and one agent run. <see cref="HostBootId"/>
/// is the node's kernel boot id (empty when unreadable): when it changes, faults that clear on reboot clear.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AgentHello(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] string AgentBootId,
    [property: ProtoMember(3)] string AgentVersion,
    [property: ProtoMember(4)] ImmutableArray<MonitorStatus> Monitors,
    [property: ProtoMember(5)] string HostBootId = "") : IHealthProtocolMessage;

/// <summary>
/// Findings and probe recoveries, each in sequence order (they share the agent run's counter, which orders
/// them among each other); acknowledged as a whole once persisted.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record FindingBatch(
    [property: ProtoMember(1)] ImmutableArray<Finding> Findings,
    [property: ProtoMember(2)] ImmutableArray<ProbeRecovery> Recoveries = default) : IHealthProtocolMessage;

/// <summary>The complete monitor state of the agent, sent whenever it changes (complete, so resending is harmless).</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record MonitorStatusReport(
    [property: ProtoMember(1)] ImmutableArray<MonitorStatus> Monitors) : IHealthProtocolMessage;

/// <summary>
/// Sent every heartbeat interval while nothing else is: proves the agent itself (not just its TCP
/// connection) is alive and renews its lease at the coordinator.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AgentHeartbeat(
    [property: ProtoMember(1)] DateTime SentAt) : IHealthProtocolMessage;

/// <summary>Agent → coordinator. Exactly one member is set.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AgentMessage(
    [property: ProtoMember(1)] AgentHello? Hello = null,
    [property: ProtoMember(2)] FindingBatch? Batch = null,
    [property: ProtoMember(3)] MonitorStatusReport? Status = null,
    [property: ProtoMember(4)] AgentHeartbeat? Heartbeat = null,
    [property: ProtoMember(5)] AgentCommandResult? CommandResult = null) : IHealthProtocolMessage;

/// <summary>
/// Every finding of (AgentBootId, sequence ≤ UpToSequence) is persisted: the agent may forget them.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record BatchAck(
    [property: ProtoMember(1)] string AgentBootId,
    [property: ProtoMember(2)] long UpToSequence,
    [property: ProtoMember(3)] int Accepted,
    [property: ProtoMember(4)] int Duplicates) : IHealthProtocolMessage;

/// <summary>Coordinator → agent. Exactly one member is set: an acknowledgement, or a command (see <see cref="AgentCommand"/>).</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record CoordinatorMessage(
    [property: ProtoMember(1)] BatchAck? Ack = null,
    [property: ProtoMember(2)] AgentCommand? Command = null) : IHealthProtocolMessage;

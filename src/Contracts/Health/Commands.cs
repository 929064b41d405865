using System.Collections.Immutable;
using ProtoBuf;

namespace NodeHealth.Contracts.Health;

/// <summary>
/// Persist these findings and apply these probe recoveries of one agent run, merged in sequence order;
/// replies <see cref="Wire.BatchAck"/> once they are in the journal.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RecordFindings(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] string AgentBootId,
    [property: ProtoMember(3)] ImmutableArray<Finding> Findings,
    [property: ProtoMember(4)] ImmutableArray<ProbeRecovery> Recoveries = default) : IHealthProtocolMessage, IWithNodeName;

/// <summary>The agent's complete monitor state; replies <see cref="MonitorsAck"/>.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record ReportMonitors(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] ImmutableArray<MonitorStatus> Monitors) : IHealthProtocolMessage, IWithNodeName;

[ProtoContract(SkipConstructor = true)]
public sealed record MonitorsAck(
    [property: ProtoMember(1)] string NodeName) : IHealthProtocolMessage;

/// <summary>The node's kernel boot id as its agent saw it when connecting; replies <see cref="MonitorsAck"/> once recorded.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record ReportHostBoot(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] string HostBootId) : IHealthProtocolMessage, IWithNodeName;

/// <summary>
/// Clears an active fault (whatever its recovery mode): an operator's (<see cref="Cause"/> empty), or a verified repair's
/// (<see cref="Cause"/> "repaired by …", <see cref="Reason"/> empty: every fault of the condition active since at or before
/// <see cref="RaisedBefore"/>, when the repair started; one that came back after the repair is news and stays). Replies the
/// new <see cref="NodeHealthState"/>, <see cref="FaultNotActive"/> (nothing to clear: nothing is recorded), or <see cref="NodeNotFound"/>.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record ClearFault(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] ConditionType Condition,
    [property: ProtoMember(3)] string Reason,
    [property: ProtoMember(4)] string Note,
    [property: ProtoMember(5)] string Cause = "",
    [property: ProtoMember(6)] DateTime? RaisedBefore = null) : IHealthProtocolMessage, IWithNodeName;

[ProtoContract(SkipConstructor = true)]
public sealed record FaultNotActive(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] ConditionType Condition,
    [property: ProtoMember(3)] string Reason) : IHealthProtocolMessage;

/// <summary>The node's agent is alive (a heartbeat on its stream): renews its lease. No reply, nothing persisted.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RenewAgentLease(
    [property: ProtoMember(1)] string NodeName) : IHealthProtocolMessage, IWithNodeName;

/// <summary>Replies the <see cref="NodeHealthState"/>, or <see cref="NodeNotFound"/> for a node never heard of.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record GetNodeHealth(
    [property: ProtoMember(1)] string NodeName) : IHealthProtocolMessage, IWithNodeName;

[ProtoContract(SkipConstructor = true)]
public sealed record NodeNotFound(
    [property: ProtoMember(1)] string NodeName) : IHealthProtocolMessage;

/// <summary>
/// From the node's Kubernetes writer after its first read of the Node: our conditions the Node
/// carries False (reason, message, transition time). The entity adopts them once (see <see cref="ConditionsAdopted"/>).
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AdoptConditions(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] ImmutableArray<AdoptedCondition> Conditions) : IHealthProtocolMessage, IWithNodeName;

/// <summary>
/// What the node informer read in the node's Kubernetes Node object: its uid (a re-created Node has a new one) and
/// <c>status.nodeInfo.bootID</c> (the kubelet's read of /proc/sys/kernel/random/boot_id, the value the agent sends as its
/// host boot id). Every coordinator's informer sends the same facts: the entity records only what is new. No reply.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record ObserveNodeObject(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] string Uid,
    [property: ProtoMember(3)] string BootId) : IHealthProtocolMessage, IWithNodeName;

/// <summary>
/// The node's Node object is gone: the informer saw it deleted (<see cref="Uid"/> the deleted object's), or the condition
/// writer's request was answered 404 (<see cref="Uid"/> the object it last read, or empty). <see cref="Cause"/> says which. No reply.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record ReportNodeDeleted(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] string Uid,
    [property: ProtoMember(3)] string Cause) : IHealthProtocolMessage, IWithNodeName;

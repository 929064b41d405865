using System.Collections.Immutable;
using ProtoBuf;

namespace NodeHealth.Contracts.Health;

/// <summary>Journal events of the NodeHealth entity. Their manifests and field numbers are forever.</summary>
public interface INodeHealthEvent : IHealthProtocolMessage, IWithNodeName;

/// <summary>Findings accepted (duplicates already removed), in sequence order.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record FindingsRecorded(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string AgentBootId,
    [property: ProtoMember(4)] ImmutableArray<Finding> Findings) : INodeHealthEvent;

[ProtoContract(SkipConstructor = true)]
public sealed record MonitorsReported(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] ImmutableArray<MonitorStatus> Monitors) : INodeHealthEvent;

/// <summary>Nothing came from the node's agent for longer than its lease: what it reported can no longer be vouched for.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AgentLeaseExpired(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] DateTime LastHeardAt,
    [property: ProtoMember(4)] TimeSpan Lease) : INodeHealthEvent;

/// <summary>The agent of a node whose lease had expired is reporting again.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AgentReturned(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] DateTime RecordedAt) : INodeHealthEvent;

/// <summary>The node's kernel boot id as last reported; a change (from a known id) means the node rebooted.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record HostBootRecorded(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string HostBootId) : INodeHealthEvent;

/// <summary>Active faults that stopped holding their conditions, and why (a reboot, an operator, a quiet period).</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record FaultsCleared(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] ImmutableArray<ClearedFault> Faults,
    [property: ProtoMember(4)] string Cause) : INodeHealthEvent;

[ProtoContract(SkipConstructor = true)]
public sealed record ClearedFault(
    [property: ProtoMember(1)] ConditionType Condition,
    [property: ProtoMember(2)] string Reason) : IHealthProtocolMessage;

/// <summary>
/// The coordinator read the node's Node object for the first time: of our conditions it carried
/// False, those the entity had no fault for are adopted as faults with their reason, message and
/// transition time, instead of being "healed" (node-problem-detector and EKS's agent reset latched
/// conditions on restart). Recorded once per node, even when nothing was adopted.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record ConditionsAdopted(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] ImmutableArray<AdoptedCondition> Conditions) : INodeHealthEvent;

/// <summary>One of our conditions as the Node carried it False, with what the catalog says its reason means (unknown reasons clear manually).</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AdoptedCondition(
    [property: ProtoMember(1)] ConditionType Condition,
    [property: ProtoMember(2)] string Reason,
    [property: ProtoMember(3)] string Message,
    [property: ProtoMember(4)] DateTime Since,
    [property: ProtoMember(5)] Catalog.RecoveryMode Recovery = Catalog.RecoveryMode.None,
    [property: ProtoMember(6)] TimeSpan QuietFor = default,
    [property: ProtoMember(7)] Catalog.RepairAction Repair = Catalog.RepairAction.None) : IHealthProtocolMessage;

/// <summary>
/// A Node object the entity had not seen (by uid). After a deletion, or in place of another uid, it is the Node
/// re-created under the same name: writing resumes and the new object's conditions are read (and adopted) first.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record NodeObjectObserved(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string Uid) : INodeHealthEvent;

/// <summary>The node's Node object was deleted: nothing more is written to Kubernetes, and the entity forgets the node at <see cref="ForgetAt"/>.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record NodeObjectDeleted(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string Uid,
    [property: ProtoMember(4)] DateTime ForgetAt,
    [property: ProtoMember(5)] string Cause) : INodeHealthEvent;

/// <summary>
/// The Node stayed deleted for the history retention: the node's state starts over empty (the fleet view drops it).
/// Older events and snapshots are deleted; this one stays as the tombstone recovery and the fleet view read.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record NodeForgotten(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] DateTime RecordedAt) : INodeHealthEvent;

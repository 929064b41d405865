using System.Collections.Immutable;
using ProtoBuf;

namespace NodeHealth.Contracts.Health;

/// <summary>
/// Everything the coordinator knows about one node; the entity's snapshot and the API's source.
/// Derived only by applying journal events, so recovery rebuilds it exactly.
/// <see cref="NodeObjectRead"/>: the node's Kubernetes Node object has been read once and its conditions adopted.
/// <see cref="EarlierHostBootIds"/>: boot ids before <see cref="HostBootId"/>, newest last (a boot id never comes back, so a
/// late report of one is old news); <see cref="NodeObjectUids"/>: the Node objects seen, the current one last;
/// <see cref="NodeObjectDeletion"/>: set while the current Node object is deleted.
/// <see cref="Commands"/>: commands for its agent (see AgentCommandState).
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record NodeHealthState(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] ImmutableArray<ConditionState> Conditions,
    [property: ProtoMember(3)] ImmutableArray<MonitorStatus> Monitors,
    [property: ProtoMember(4)] ImmutableArray<Finding> RecentFindings,
    [property: ProtoMember(5)] ImmutableArray<NodeEvent> RecentEvents,
    [property: ProtoMember(6)] ImmutableArray<DeliveryMark> DeliveryMarks,
    [property: ProtoMember(7)] DateTime? LastUpdated,
    [property: ProtoMember(8)] AgentSilence? AgentSilence = null,
    [property: ProtoMember(9)] string HostBootId = "",
    [property: ProtoMember(10)] DateTime? AgentReturnedAt = null,
    [property: ProtoMember(11)] bool NodeObjectRead = false,
    ImmutableArray<string> EarlierHostBootIds = default,
    ImmutableArray<string> NodeObjectUids = default,
    [property: ProtoMember(14)] NodeObjectDeletion? NodeObjectDeletion = null) : IHealthProtocolMessage
{
    private readonly ImmutableArray<string> _earlierHostBootIds = EarlierHostBootIds;
    private readonly ImmutableArray<string> _nodeObjectUids = NodeObjectUids;
    private readonly ImmutableArray<AgentCommandState> _commands;

    /// <summary>Never default, not even decoded from a snapshot written before the field existed.</summary>
    [ProtoMember(12)]
    public ImmutableArray<string> EarlierHostBootIds { get => _earlierHostBootIds.OrEmpty(); init => _earlierHostBootIds = value; }

    [ProtoMember(13)]
    public ImmutableArray<string> NodeObjectUids { get => _nodeObjectUids.OrEmpty(); init => _nodeObjectUids = value; }

    /// <summary>Commands sent to the node's agent (reboots), unanswered ones and the latest answered, oldest first.</summary>
    [ProtoMember(15)]
    public ImmutableArray<AgentCommandState> Commands { get => _commands.OrEmpty(); init => _commands = value.IsDefaultOrEmpty ? default : value; } // Empty and absent are one value, also to equality.

    public static NodeHealthState Empty(string nodeName) =>
        new(nodeName, [], [], [], [], [], null);

    /// <summary>A node nothing was ever recorded for does not exist as far as the API is concerned.</summary>
    public bool IsKnown => LastUpdated is not null;
}

/// <summary>The node's Node object was deleted at <see cref="At"/> (seen as <see cref="Cause"/> says); the node is forgotten at <see cref="ForgetAt"/>.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record NodeObjectDeletion(
    [property: ProtoMember(1)] DateTime At,
    [property: ProtoMember(2)] string Uid,
    [property: ProtoMember(3)] DateTime ForgetAt,
    [property: ProtoMember(4)] string Cause) : IHealthProtocolMessage;

/// <summary>The node's agent has been silent since <see cref="LastHeardAt"/>, longer than <see cref="Lease"/>.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AgentSilence(
    [property: ProtoMember(1)] DateTime LastHeardAt,
    [property: ProtoMember(2)] TimeSpan Lease,
    [property: ProtoMember(3)] DateTime Since) : IHealthProtocolMessage;

/// <summary>One published NodeCondition. <see cref="ActiveFaults"/> are the fatal reasons holding it False.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record ConditionState(
    [property: ProtoMember(1)] ConditionType Type,
    [property: ProtoMember(2)] ConditionStatus Status,
    [property: ProtoMember(3)] string Reason,
    [property: ProtoMember(4)] string Message,
    [property: ProtoMember(5)] DateTime LastTransitionTime,
    [property: ProtoMember(6)] ImmutableArray<ActiveFault> ActiveFaults) : IHealthProtocolMessage;

[ProtoContract(SkipConstructor = true)]
public sealed record ActiveFault(
    [property: ProtoMember(1)] string Reason,
    [property: ProtoMember(2)] string Message,
    [property: ProtoMember(3)] DateTime Since,
    [property: ProtoMember(4)] DateTime LastSeen,
    [property: ProtoMember(5)] long Count,
    [property: ProtoMember(6)] Catalog.RecoveryMode Recovery = Catalog.RecoveryMode.None,
    [property: ProtoMember(7)] TimeSpan QuietFor = default,
    [property: ProtoMember(8)] Catalog.RepairAction Repair = Catalog.RepairAction.None) : IHealthProtocolMessage;

public enum EventType
{
    Unknown = 0,
    Normal = 1,
    Warning = 2,
}

/// <summary>
/// An event about the node; repeats of the same condition, reason and message fold into one with a count.
/// Published to Kubernetes with reason = condition type and message "&lt;Reason&gt;: &lt;text&gt;", as EKS does.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record NodeEvent(
    [property: ProtoMember(1)] EventType Type,
    [property: ProtoMember(2)] ConditionType Condition,
    [property: ProtoMember(3)] string Reason,
    [property: ProtoMember(4)] string Message,
    [property: ProtoMember(5)] DateTime FirstTimestamp,
    [property: ProtoMember(6)] DateTime LastTimestamp,
    [property: ProtoMember(7)] long Count) : IHealthProtocolMessage;

/// <summary>Highest sequence persisted for one agent run: anything at or below it is a duplicate.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record DeliveryMark(
    [property: ProtoMember(1)] string AgentBootId,
    [property: ProtoMember(2)] long HighestSequence) : IHealthProtocolMessage;

/// <summary>
/// One node as the fleet read model lists it. <see cref="HostBootId"/>: its boot as last reported (the agent's hello or the
/// Node object's bootID; empty when unknown), which a reboot repair waits to see change.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record NodeSummary(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] ImmutableArray<ConditionState> Conditions,
    [property: ProtoMember(3)] DateTime? LastUpdated,
    [property: ProtoMember(4)] DateTime? NodeObjectDeletedAt = null,
    [property: ProtoMember(5)] string HostBootId = "") : IHealthProtocolMessage;

/// <summary>
/// The fleet read model at one offset of the tagged event stream: every node's state without its
/// recent findings and events. Saved now and then so a coordinator resumes projecting from there.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record FleetSnapshot(
    [property: ProtoMember(1)] long Offset,
    [property: ProtoMember(2)] ImmutableArray<NodeHealthState> Nodes) : IHealthProtocolMessage;

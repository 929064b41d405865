using System.Collections.Immutable;
using ProtoBuf;

namespace NodeHealth.Contracts.Repair;

/// <summary>
/// Ask the repair governor (the singleton, maybe on another coordinator) for the latest decision per node, or only
/// <see cref="Node"/>'s when it is not empty; replies <see cref="RepairList"/>.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record GetRepairs(
    [property: ProtoMember(1)] string Node = "") : IHealthProtocolMessage;

/// <summary>
/// The mode (Off, DryRun, On) and policy in force, the problem of a refused policy edit (empty: none), the latest
/// decisions, the repairs (running and recent) with what the running ones do now, the operator pause, each zone's storm
/// breaker, the approvals and the nodes an operator paused.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairList(
    [property: ProtoMember(1)] string Mode,
    [property: ProtoMember(2)] string Policy,
    [property: ProtoMember(3)] string PolicyProblem,
    [property: ProtoMember(4)] ImmutableArray<RepairDecisionRecorded> Decisions,
    [property: ProtoMember(5)] ImmutableArray<RepairRunState> Runs = default,
    [property: ProtoMember(6)] RepairPauseState? Pause = null,
    [property: ProtoMember(7)] ImmutableArray<RepairProgress> Progress = default,
    ImmutableArray<RepairZoneState> Zones = default,
    ImmutableArray<RepairApprovedByOperator> Approvals = default,
    ImmutableArray<RepairNodePausedByOperator> PausedNodes = default) : IHealthProtocolMessage
{
    private readonly ImmutableArray<RepairZoneState> _zones = Zones;
    private readonly ImmutableArray<RepairApprovedByOperator> _approvals = Approvals;
    private readonly ImmutableArray<RepairNodePausedByOperator> _pausedNodes = PausedNodes;

    /// <summary>Empty, never default: a list from a governor that did not send zones has none.</summary>
    [ProtoMember(8)]
    public ImmutableArray<RepairZoneState> Zones { get => _zones.IsDefault ? [] : _zones; init => _zones = value; }

    /// <summary>The operators' approvals not used yet; empty, never default.</summary>
    [ProtoMember(9)]
    public ImmutableArray<RepairApprovedByOperator> Approvals { get => _approvals.IsDefault ? [] : _approvals; init => _approvals = value; }

    /// <summary>The nodes an operator paused (by name); empty, never default.</summary>
    [ProtoMember(10)]
    public ImmutableArray<RepairNodePausedByOperator> PausedNodes { get => _pausedNodes.IsDefault ? [] : _pausedNodes; init => _pausedNodes = value; }
}

/// <summary>What a running repair is doing now (not persisted: the step running, why it waits), by repair id.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairProgress(
    [property: ProtoMember(1)] string RepairId,
    [property: ProtoMember(2)] string Detail) : IHealthProtocolMessage;

/// <summary>
/// An operator's call to the governor (the singleton), checked for the operator token at the API: Pause (with
/// <see cref="Note"/>), Resume, ResumeZone (<see cref="Target"/> is the zone), Cancel (<see cref="Target"/> is the
/// repair id), Approve, PauseNode (with <see cref="Note"/>) or ResumeNode (<see cref="Target"/> is the node). Replies <see cref="RepairCommandAnswer"/>.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairOperatorCommand(
    [property: ProtoMember(1)] string Kind,
    [property: ProtoMember(2)] string By,
    [property: ProtoMember(3)] string Target = "",
    [property: ProtoMember(4)] string Note = "") : IHealthProtocolMessage;

/// <summary>Whether the command changed anything (<see cref="Changed"/>), found what it named (<see cref="Found"/>), and what happened in words.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairCommandAnswer(
    [property: ProtoMember(1)] bool Found,
    [property: ProtoMember(2)] bool Changed,
    [property: ProtoMember(3)] string Detail) : IHealthProtocolMessage;

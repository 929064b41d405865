using System.Collections.Immutable;
using NodeHealth.Contracts.Catalog;
using ProtoBuf;

namespace NodeHealth.Contracts.Repair;

/// <summary>Journal events of the repair governor (the coordinators' singleton). Their manifests and field numbers are forever.</summary>
public interface IRepairGovernorEvent : IHealthProtocolMessage
{
    DateTime RecordedAt { get; }
}

/// <summary>
/// A decision about one node whose verdict or explanation differs from the last one recorded for it (the decision
/// log grows only on change). <see cref="Verdict"/> and <see cref="Denial"/> are the names the API shows
/// (Start, Wait, Deny, NoAction, InFlight; OptOut, Paused, …); <see cref="Explanation"/> is the text a person reads.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairDecisionRecorded(
    [property: ProtoMember(1)] string Node,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string Pool,
    [property: ProtoMember(4)] string Zone,
    [property: ProtoMember(5)] string Condition,
    [property: ProtoMember(6)] string Reason,
    [property: ProtoMember(7)] RepairAction Action,
    [property: ProtoMember(8)] string Verdict,
    [property: ProtoMember(9)] string Denial,
    [property: ProtoMember(10)] bool DryRun,
    [property: ProtoMember(11)] DateTime? NotBefore,
    [property: ProtoMember(12)] string Rule,
    [property: ProtoMember(13)] string Clause,
    [property: ProtoMember(14)] ImmutableArray<RecordedFault> Findings,
    [property: ProtoMember(15)] RecordedBudget? Budget,
    [property: ProtoMember(16)] string Explanation) : IRepairGovernorEvent;

/// <summary>The node has no decision any more (healthy again, or gone from the fleet): its latest decision is dropped.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairDecisionWithdrawn(
    [property: ProtoMember(1)] string Node,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string Why) : IRepairGovernorEvent;

/// <summary>One fault of a node as the decision saw it: its wait and action, and the policy clauses they came from.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RecordedFault(
    [property: ProtoMember(1)] string Condition,
    [property: ProtoMember(2)] ConditionStatus Status,
    [property: ProtoMember(3)] string Reason,
    [property: ProtoMember(4)] DateTime Since,
    [property: ProtoMember(5)] TimeSpan Wait,
    [property: ProtoMember(6)] RepairAction Action,
    [property: ProtoMember(7)] string WaitClause,
    [property: ProtoMember(8)] string ActionClause) : IHealthProtocolMessage;

/// <summary>The budgets a decision was judged by, at that moment.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RecordedBudget(
    [property: ProtoMember(1)] string Pool,
    [property: ProtoMember(2)] int PoolNodes,
    [property: ProtoMember(3)] int PoolUnhealthy,
    [property: ProtoMember(4)] string PoolUnhealthyLimit,
    [property: ProtoMember(5)] int PoolInFlight,
    [property: ProtoMember(6)] int PoolParallelLimit,
    [property: ProtoMember(7)] int FleetInFlight,
    [property: ProtoMember(8)] int FleetParallelLimit,
    [property: ProtoMember(9)] string Zone,
    [property: ProtoMember(10)] string ZoneBreaker,
    [property: ProtoMember(11)] string MaintenanceWindow) : IHealthProtocolMessage;

/// <summary>A zone's storm breaker tripped: new repairs in the zone pause.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairZoneTripped(
    [property: ProtoMember(1)] string Zone,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string Cause) : IRepairGovernorEvent;

/// <summary>A zone's storm breaker closed, after its cool-down or by an operator (<see cref="ByOperator"/>).</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairZoneClosed(
    [property: ProtoMember(1)] string Zone,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string Cause,
    [property: ProtoMember(4)] bool ByOperator) : IRepairGovernorEvent;

/// <summary>One zone's breaker in the governor's snapshot (null TrippedAt: closed).</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairZoneState(
    [property: ProtoMember(1)] string Zone,
    [property: ProtoMember(2)] DateTime? TrippedAt,
    [property: ProtoMember(3)] string TripCause,
    [property: ProtoMember(4)] DateTime? ResumedAt) : IHealthProtocolMessage;

/// <summary>
/// The governor's snapshot: the latest decision per node, each zone's breaker, the repairs it remembers, the operator
/// pause, the approvals and the nodes an operator paused.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairGovernorState(
    [property: ProtoMember(1)] ImmutableArray<RepairDecisionRecorded> Decisions,
    [property: ProtoMember(2)] ImmutableArray<RepairZoneState> Zones,
    ImmutableArray<RepairRunState> Runs = default,
    [property: ProtoMember(4)] RepairPauseState? Pause = null,
    ImmutableArray<RepairApprovedByOperator> Approvals = default,
    ImmutableArray<RepairNodePausedByOperator> PausedNodes = default) : IHealthProtocolMessage
{
    private readonly ImmutableArray<RepairRunState> _runs = Runs;
    private readonly ImmutableArray<RepairApprovedByOperator> _approvals = Approvals;
    private readonly ImmutableArray<RepairNodePausedByOperator> _pausedNodes = PausedNodes;

    /// <summary>Empty, never default: a snapshot written before repairs ran has none.</summary>
    [ProtoMember(3)]
    public ImmutableArray<RepairRunState> Runs { get => _runs.IsDefault ? [] : _runs; init => _runs = value; }

    /// <summary>The operators' approvals not used yet (one per node at most); empty in a snapshot written before approvals existed.</summary>
    [ProtoMember(5)]
    public ImmutableArray<RepairApprovedByOperator> Approvals { get => _approvals.IsDefault ? [] : _approvals; init => _approvals = value; }

    /// <summary>The nodes an operator paused, one pause per node; empty in a snapshot written before node pauses existed.</summary>
    [ProtoMember(6)]
    public ImmutableArray<RepairNodePausedByOperator> PausedNodes { get => _pausedNodes.IsDefault ? [] : _pausedNodes; init => _pausedNodes = value; }
}

/// <summary>
/// An operator paused repair of one node (<c>POST /api/repairs/nodes/{name}/pause</c>): no new repair of it starts
/// until <see cref="RepairNodeResumedByOperator"/>, whatever its faults; a repair of it already running goes on
/// (cancel stops that). The pause is by name: it outlives the node turning healthy, and may come before the node is known.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairNodePausedByOperator(
    [property: ProtoMember(1)] string Node,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string By,
    [property: ProtoMember(4)] string Note) : IRepairGovernorEvent;

/// <summary>An operator lifted the pause of one node: its repairs are judged by the policy again.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairNodeResumedByOperator(
    [property: ProtoMember(1)] string Node,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string By) : IRepairGovernorEvent;

using System.Collections.Immutable;
using NodeHealth.Contracts.Catalog;
using ProtoBuf;

namespace NodeHealth.Contracts.Repair;

/// <summary>
/// A repair the governor granted under the budgets and started (Repair:Mode On). From here it runs to an end —
/// across a failover too: the new singleton resumes it after its last recorded step.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairStarted(
    [property: ProtoMember(1)] string RepairId,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string Node,
    [property: ProtoMember(4)] string Pool,
    [property: ProtoMember(5)] string Zone,
    [property: ProtoMember(6)] string Condition,
    [property: ProtoMember(7)] string Reason,
    [property: ProtoMember(8)] RepairAction Action) : IRepairGovernorEvent;

/// <summary>
/// One step of a running repair is done (Cordon, Drain, Reboot, Replace, Verify, Uncordon, ClearFaults): a resumed run
/// starts after it. <see cref="ForHostBootId"/>, of a Reboot: the node's boot when the reboot was asked (empty when
/// unknown); verification waits for another.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairStepDone(
    [property: ProtoMember(1)] string RepairId,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string Step,
    [property: ProtoMember(4)] string Detail,
    [property: ProtoMember(5)] string ForHostBootId = "") : IRepairGovernorEvent;

/// <summary>A repair ended: Succeeded (verified), Failed (a step failed or the node did not come back in time) or Cancelled (by <see cref="By"/>).</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairEnded(
    [property: ProtoMember(1)] string RepairId,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string Outcome,
    [property: ProtoMember(4)] string Detail,
    [property: ProtoMember(5)] string By) : IRepairGovernorEvent;

/// <summary>An operator paused repair: no new repair starts until resumed (running ones go on).</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairPausedByOperator(
    [property: ProtoMember(1)] DateTime RecordedAt,
    [property: ProtoMember(2)] string By,
    [property: ProtoMember(3)] string Note) : IRepairGovernorEvent;

/// <summary>An operator lifted the pause.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairResumedByOperator(
    [property: ProtoMember(1)] DateTime RecordedAt,
    [property: ProtoMember(2)] string By) : IRepairGovernorEvent;

/// <summary>
/// An operator approved the repair of <see cref="Node"/> by <see cref="Action"/> where the policy's <c>approval</c>
/// clause holds such repairs for a person's yes. The next repair of the node by that action, once the budgets allow
/// it, starts on it; the approval goes with that start, when the node turns healthy, or when it expires.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairApprovedByOperator(
    [property: ProtoMember(1)] string Node,
    [property: ProtoMember(2)] DateTime RecordedAt,
    [property: ProtoMember(3)] string Condition,
    [property: ProtoMember(4)] RepairAction Action,
    [property: ProtoMember(5)] string By,
    [property: ProtoMember(6)] string Note) : IRepairGovernorEvent;

/// <summary>
/// Finished repairs that started before <see cref="Before"/> are forgotten, except each node's latest: the ledger keeps
/// only what its windows read (Budgets/LedgerRetention), so the governor's state and snapshot stay bounded.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record OldRepairsForgotten(
    [property: ProtoMember(1)] DateTime RecordedAt,
    [property: ProtoMember(2)] DateTime Before) : IRepairGovernorEvent;

/// <summary>One repair in the governor's snapshot and in the API: what, when, its steps so far and how it ended (Outcome InFlight: running).</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairRunState(
    [property: ProtoMember(1)] RepairStarted Started,
    [property: ProtoMember(2)] ImmutableArray<RepairStepDone> Steps,
    [property: ProtoMember(3)] RepairEnded? Ended) : IHealthProtocolMessage;

/// <summary>The operator pause in the governor's snapshot and in the API.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairPauseState(
    [property: ProtoMember(1)] DateTime At,
    [property: ProtoMember(2)] string By,
    [property: ProtoMember(3)] string Note) : IHealthProtocolMessage;

using System.Collections.Immutable;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Budgets;

public enum RepairOutcome
{
    InFlight = 0,
    /// <summary>Verified: the node (or its replacement) came back healthy.</summary>
    Succeeded = 1,
    /// <summary>The action failed or the node did not come back healthy in time.</summary>
    Failed = 2,
    /// <summary>An operator cancelled it; it does not count as an attempt.</summary>
    Cancelled = 3,
}

/// <summary>One repair the governor granted: what, where, when, and how it ended.</summary>
public sealed record RepairRecord(
    string Id,
    string Node,
    string Pool,
    string Zone,
    string Condition,
    string Reason,
    RepairAction Action,
    DateTimeOffset StartedAt)
{
    public RepairOutcome Outcome { get; init; } = RepairOutcome.InFlight;
    public DateTimeOffset? FinishedAt { get; init; }

    public bool InFlight => Outcome == RepairOutcome.InFlight;
}

/// <summary>An operator's global pause: no new repair starts until it is lifted (in-flight ones go on).</summary>
public sealed record OperatorPause(string By, DateTimeOffset At, string Note);

/// <summary>An operator's pause of one node: no new repair of it starts until it is lifted (one in flight goes on).</summary>
public sealed record NodePause(string Node, string By, DateTimeOffset At, string Note);

/// <summary>An operator's yes for the repair of <see cref="Node"/> by <see cref="Action"/> (ApprovalPolicy says what it covers).</summary>
public sealed record RepairApproval(string Node, string Condition, RepairAction Action, string By, string Note, DateTimeOffset At);

/// <summary>
/// One zone's breaker: tripped since <see cref="TrippedAt"/> (null: closed). <see cref="ResumedAt"/> is the last
/// operator resume: nodes that turned unhealthy before it no longer count towards a new storm.
/// </summary>
public sealed record ZoneBreakerState(string Zone, DateTimeOffset? TrippedAt, string TripCause, DateTimeOffset? ResumedAt)
{
    public bool Tripped => TrippedAt is not null;
}

/// <summary>What the repair governor remembers: every repair in flight and past, the global pause, each zone's breaker, the approvals and the paused nodes.</summary>
public sealed record RepairLedger(
    ImmutableArray<RepairRecord> Repairs,
    OperatorPause? Pause,
    ImmutableDictionary<string, ZoneBreakerState> Zones)
{
    public static readonly RepairLedger Empty = new([], null, ImmutableDictionary<string, ZoneBreakerState>.Empty);

    /// <summary>The operators' approvals not used yet, by node: a grant of the node's repair uses its approval up.</summary>
    public ImmutableDictionary<string, RepairApproval> Approvals { get; init; } = ImmutableDictionary.Create<string, RepairApproval>(StringComparer.Ordinal);

    /// <summary>The nodes an operator paused, by name: they stay paused until resumed, healthy or not, known or not.</summary>
    public ImmutableDictionary<string, NodePause> PausedNodes { get; init; } = ImmutableDictionary.Create<string, NodePause>(StringComparer.Ordinal);

    public IEnumerable<RepairRecord> InFlight => Repairs.Where(r => r.InFlight);

    public IEnumerable<RepairRecord> Of(string node) => Repairs.Where(r => r.Node == node);

    public ZoneBreakerState? Zone(string zone) => Zones.GetValueOrDefault(zone);
}

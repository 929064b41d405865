using System.Collections.Immutable;

namespace NodeHealth.Actors.Repair.Budgets;

// The governor's commands and events: the ledger is event-sourced, so a failover replays exactly what was granted.
public interface IRepairLedgerCommand;

public interface IRepairLedgerEvent
{
    DateTimeOffset At { get; }
}

/// <summary>Grant the repair a Start decision asks for, under the id the caller chose (retrying with the same id is safe).</summary>
public sealed record GrantRepair(string RepairId, RepairDecision Decision) : IRepairLedgerCommand;

public sealed record FinishRepair(string RepairId, RepairOutcome Outcome, DateTimeOffset At) : IRepairLedgerCommand;

public sealed record PauseRepairs(string By, string Note, DateTimeOffset At) : IRepairLedgerCommand;

public sealed record ResumeRepairs(string By, DateTimeOffset At) : IRepairLedgerCommand;

public sealed record ResumeZone(string Zone, string By, DateTimeOffset At) : IRepairLedgerCommand;

public sealed record RecordZoneChanges(ImmutableArray<ZoneBreakerChange> Changes) : IRepairLedgerCommand;

/// <summary>
/// Forget finished repairs that started before <see cref="Before"/> (older than any window that reads them), except
/// each node's latest repair, which the escalation ladder reads however old it is.
/// </summary>
public sealed record ForgetRepairs(DateTimeOffset Before, DateTimeOffset At) : IRepairLedgerCommand;

/// <summary>An operator approves the node's repair by an action (ApprovalPolicy); a newer approval replaces the node's older one.</summary>
public sealed record ApproveRepair(RepairApproval Approval) : IRepairLedgerCommand;

public sealed record RepairApproved(RepairApproval Approval) : IRepairLedgerEvent
{
    public DateTimeOffset At => Approval.At;
}

/// <summary>An operator pauses repair of one node; pausing a paused node changes nothing (its first pause stands).</summary>
public sealed record PauseNode(NodePause Pause) : IRepairLedgerCommand;

public sealed record ResumeNode(string Node, string By, DateTimeOffset At) : IRepairLedgerCommand;

public sealed record NodeRepairsPaused(NodePause Pause) : IRepairLedgerEvent
{
    public DateTimeOffset At => Pause.At;
}

public sealed record NodeRepairsResumed(string Node, string By, DateTimeOffset At) : IRepairLedgerEvent;

public sealed record RepairGranted(RepairRecord Repair) : IRepairLedgerEvent
{
    public DateTimeOffset At => Repair.StartedAt;
}

public sealed record RepairFinished(string RepairId, RepairOutcome Outcome, DateTimeOffset At) : IRepairLedgerEvent;

public sealed record RepairsPaused(OperatorPause Pause) : IRepairLedgerEvent
{
    public DateTimeOffset At => Pause.At;
}

public sealed record RepairsResumed(string By, DateTimeOffset At) : IRepairLedgerEvent;

public sealed record ZoneBreakerTripped(string Zone, string Cause, DateTimeOffset At) : IRepairLedgerEvent;

/// <summary>A zone's breaker closed: by an operator (<see cref="ByOperator"/>) or after its cool-down.</summary>
public sealed record ZoneBreakerClosed(string Zone, string Cause, bool ByOperator, DateTimeOffset At) : IRepairLedgerEvent;

public sealed record RepairsForgotten(DateTimeOffset Before, DateTimeOffset At) : IRepairLedgerEvent;

/// <summary>Whether a grant was recorded, and why not when it was refused.</summary>
public sealed record GrantResult(bool Granted, string Why);

/// <summary>
/// The ledger's behaviour as pure Decide/Apply (like NodeHealthMachine). A grant is checked again against the
/// ledger at the moment it is made: one repair per node, the parallel limits the decision was judged by counted
/// from what is in flight now. Decisions computed from the same stale ledger can therefore never overbook, and a
/// repeated grant (same id) is answered from the ledger without a second event.
/// </summary>
public static class RepairLedgerMachine
{
    public static (GrantResult Reply, RepairGranted? Event) Decide(this RepairLedger ledger, GrantRepair command)
    {
        var d = command.Decision;
        if (ledger.Repairs.FirstOrDefault(r => r.Id == command.RepairId) is { } known)
            return (new GrantResult(known.Node == d.Node, known.Node == d.Node ? "already granted" : $"repair id {command.RepairId} belongs to node {known.Node}"), null);
        if (d.Verdict != RepairVerdict.Start || d.DryRun)
            return (new GrantResult(false, $"the decision is {(d.DryRun ? "a dry run" : d.Verdict.ToString())}, not a start"), null);
        if (ledger.Pause is { } pause)
            return (new GrantResult(false, $"repair is paused by {pause.By}"), null);
        if (ledger.PausedNodes.GetValueOrDefault(d.Node) is { } nodePause)
            return (new GrantResult(false, $"repair of {d.Node} is paused by {nodePause.By}"), null);
        if (ledger.InFlight.FirstOrDefault(r => r.Node == d.Node) is { } running)
            return (new GrantResult(false, $"repair {running.Id} of {d.Node} is in flight"), null);
        if (ledger.Zone(d.Zone) is { Tripped: true })
            return (new GrantResult(false, $"the storm breaker of zone {d.Zone} is tripped"), null);
        var inPool = ledger.InFlight.Count(r => r.Pool == d.Pool);
        if (inPool >= d.Explanation.Budget.PoolParallelLimit)
            return (new GrantResult(false, $"{inPool} repairs run in pool {d.Pool}, the limit is {d.Explanation.Budget.PoolParallelLimit}"), null);
        var inFleet = ledger.InFlight.Count();
        if (inFleet >= d.Explanation.Budget.FleetParallelLimit)
            return (new GrantResult(false, $"{inFleet} repairs run in the fleet, the limit is {d.Explanation.Budget.FleetParallelLimit}"), null);
        var record = new RepairRecord(command.RepairId, d.Node, d.Pool, d.Zone, d.Condition, d.Reason, d.Action, d.DecidedAt);
        return (new GrantResult(true, "granted"), new RepairGranted(record));
    }

    /// <summary>Ends an in-flight repair; finishing it again (a retried report) changes nothing.</summary>
    public static RepairFinished? Decide(this RepairLedger ledger, FinishRepair command) =>
        command.Outcome != RepairOutcome.InFlight && ledger.Repairs.Any(r => r.Id == command.RepairId && r.InFlight)
            ? new RepairFinished(command.RepairId, command.Outcome, command.At)
            : null;

    public static RepairsPaused? Decide(this RepairLedger ledger, PauseRepairs command) =>
        ledger.Pause is null ? new RepairsPaused(new OperatorPause(command.By, command.At, command.Note)) : null;

    public static RepairsResumed? Decide(this RepairLedger ledger, ResumeRepairs command) =>
        ledger.Pause is null ? null : new RepairsResumed(command.By, command.At);

    /// <summary>An operator resumes a zone; recorded even when it is not tripped, so older onsets stop counting towards a storm.</summary>
    public static ZoneBreakerClosed Decide(this RepairLedger ledger, ResumeZone command) =>
        new(command.Zone, $"resumed by {command.By}", ByOperator: true, command.At);

    /// <summary>The breaker changes of a decision round, as events; changes that are no change to the ledger are dropped.</summary>
    public static ImmutableArray<IRepairLedgerEvent> Decide(this RepairLedger ledger, RecordZoneChanges command) =>
    [
        .. command.Changes.Where(c => (ledger.Zone(c.Zone)?.Tripped ?? false) != c.Tripped)
            .Select(c => c.Tripped ? (IRepairLedgerEvent)new ZoneBreakerTripped(c.Zone, c.Cause, c.At) : new ZoneBreakerClosed(c.Zone, c.Cause, ByOperator: false, c.At)),
    ];

    /// <summary>Approves, unless a repair of the node is in flight (nothing left to approve).</summary>
    public static RepairApproved? Decide(this RepairLedger ledger, ApproveRepair command) =>
        ledger.InFlight.Any(r => r.Node == command.Approval.Node) ? null : new RepairApproved(command.Approval);

    public static NodeRepairsPaused? Decide(this RepairLedger ledger, PauseNode command) =>
        ledger.PausedNodes.ContainsKey(command.Pause.Node) ? null : new NodeRepairsPaused(command.Pause);

    public static NodeRepairsResumed? Decide(this RepairLedger ledger, ResumeNode command) =>
        ledger.PausedNodes.ContainsKey(command.Node) ? new NodeRepairsResumed(command.Node, command.By, command.At) : null;

    public static RepairsForgotten? Decide(this RepairLedger ledger, ForgetRepairs command) =>
        ledger.Forgettable(command.Before).Count > 0 ? new RepairsForgotten(command.Before, command.At) : null;

    /// <summary>The ids <see cref="RepairsForgotten"/> removes: finished, started before <paramref name="before"/>, and not the latest repair of its node.</summary>
    public static IReadOnlySet<string> Forgettable(this RepairLedger ledger, DateTimeOffset before)
    {
        var latest = ledger.Repairs.GroupBy(r => r.Node, StringComparer.Ordinal)
            .Select(node => node.MaxBy(r => (r.StartedAt, r.Id))!.Id).ToHashSet(StringComparer.Ordinal);
        return ledger.Repairs.Where(r => !r.InFlight && r.StartedAt < before && !latest.Contains(r.Id)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Folds one event in. Replaying the same events gives the same ledger; a grant seen twice is kept once.</summary>
    public static RepairLedger Apply(this RepairLedger ledger, IRepairLedgerEvent @event) => @event switch
    {
        RepairGranted e => ledger.Repairs.Any(r => r.Id == e.Repair.Id)
            ? ledger
            : ledger with { Repairs = ledger.Repairs.Add(e.Repair), Approvals = ledger.Approvals.Remove(e.Repair.Node) }, // A grant uses the node's approval up.
        RepairApproved e => ledger with { Approvals = ledger.Approvals.SetItem(e.Approval.Node, e.Approval) },
        RepairFinished e => ledger with
        {
            Repairs = [.. ledger.Repairs.Select(r => r.Id == e.RepairId && r.InFlight ? r with { Outcome = e.Outcome, FinishedAt = e.At } : r)],
        },
        RepairsPaused e => ledger with { Pause = e.Pause },
        RepairsResumed => ledger with { Pause = null },
        NodeRepairsPaused e => ledger with { PausedNodes = ledger.PausedNodes.SetItem(e.Pause.Node, e.Pause) },
        NodeRepairsResumed e => ledger with { PausedNodes = ledger.PausedNodes.Remove(e.Node) },
        ZoneBreakerTripped e => ledger with
        {
            Zones = ledger.Zones.SetItem(e.Zone, (ledger.Zone(e.Zone) ?? new ZoneBreakerState(e.Zone, null, "", null)) with { TrippedAt = e.At, TripCause = e.Cause }),
        },
        ZoneBreakerClosed { ByOperator: true } e => ledger with { Zones = ledger.Zones.SetItem(e.Zone, ZoneStormBreaker.Resume(ledger.Zone(e.Zone), e.Zone, e.At)) },
        ZoneBreakerClosed e => ledger with
        {
            Zones = ledger.Zones.SetItem(e.Zone, (ledger.Zone(e.Zone) ?? new ZoneBreakerState(e.Zone, null, "", null)) with { TrippedAt = null, TripCause = "" }),
        },
        RepairsForgotten e => ledger.Forgettable(e.Before) is var gone && gone.Count == 0 ? ledger : ledger with { Repairs = [.. ledger.Repairs.Where(r => !gone.Contains(r.Id))] },
        _ => throw new ArgumentException($"the repair ledger cannot apply {@event.GetType().Name}"),
    };
}

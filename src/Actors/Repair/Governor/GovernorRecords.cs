using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Repair.Governor;

/// <summary>Between the decision's records and their journal contracts (src/Contracts/Repair).</summary>
public static class GovernorRecords
{
    public static RepairDecisionRecorded From(RepairDecision d) => new(
        d.Node, d.DecidedAt.UtcDateTime, d.Pool, d.Zone, d.Condition, d.Reason, d.Action, d.Verdict.ToString(), d.Denial.ToString(), d.DryRun,
        d.NotBefore?.UtcDateTime, d.Explanation.Rule, d.Explanation.Clause,
        [.. d.Explanation.Findings.OrEmpty().Select(f => new RecordedFault(f.Condition, f.Status, f.Reason, f.Since.UtcDateTime, f.Wait, f.Action,
            f.WaitClause.ToString(), f.ActionClause.ToString()))],
        From(d.Explanation.Budget),
        d.Explanation.Text);

    public static RecordedBudget From(BudgetState b) => new(
        b.Pool, b.PoolNodes, b.PoolUnhealthy, b.PoolUnhealthyLimit, b.PoolInFlight, b.PoolParallelLimit, b.FleetInFlight, b.FleetParallelLimit,
        b.Zone, b.ZoneBreaker, b.MaintenanceWindow);

    /// <summary>Same verdict and same explanation: nothing new to record (the time it was decided again does not count).</summary>
    public static bool SameDecision(RepairDecisionRecorded a, RepairDecisionRecorded b) =>
        a.Verdict == b.Verdict && a.Denial == b.Denial && a.Action == b.Action && a.Condition == b.Condition && a.Reason == b.Reason
        && a.DryRun == b.DryRun && a.NotBefore == b.NotBefore && a.Explanation == b.Explanation;

    public static IRepairGovernorEvent From(IRepairLedgerEvent e) => e switch
    {
        ZoneBreakerTripped t => new RepairZoneTripped(t.Zone, t.At.UtcDateTime, t.Cause),
        ZoneBreakerClosed c => new RepairZoneClosed(c.Zone, c.At.UtcDateTime, c.Cause, c.ByOperator),
        RepairsPaused p => new RepairPausedByOperator(p.At.UtcDateTime, p.Pause.By, p.Pause.Note),
        RepairsResumed r => new RepairResumedByOperator(r.At.UtcDateTime, r.By),
        RepairsForgotten f => new OldRepairsForgotten(f.At.UtcDateTime, f.Before.UtcDateTime),
        RepairApproved a => From(a.Approval),
        NodeRepairsPaused p => From(p.Pause),
        NodeRepairsResumed r => new RepairNodeResumedByOperator(r.Node, r.At.UtcDateTime, r.By),
        _ => throw new ArgumentException($"the governor records {e.GetType().Name} through its own events"),
    };

    public static IRepairLedgerEvent ToLedger(IRepairGovernorEvent e) => e switch
    {
        RepairZoneTripped t => new ZoneBreakerTripped(t.Zone, t.Cause ?? "", Utc(t.RecordedAt)),
        RepairZoneClosed c => new ZoneBreakerClosed(c.Zone, c.Cause ?? "", c.ByOperator, Utc(c.RecordedAt)),
        RepairStarted s => new RepairGranted(new RepairRecord(s.RepairId, s.Node, s.Pool ?? "", s.Zone ?? "", s.Condition, s.Reason ?? "", s.Action, Utc(s.RecordedAt))),
        RepairEnded end => new RepairFinished(end.RepairId, Enum.TryParse<RepairOutcome>(end.Outcome, out var outcome) ? outcome : RepairOutcome.Failed, Utc(end.RecordedAt)),
        RepairPausedByOperator p => new RepairsPaused(new OperatorPause(p.By ?? "", Utc(p.RecordedAt), p.Note ?? "")),
        RepairResumedByOperator r => new RepairsResumed(r.By ?? "", Utc(r.RecordedAt)),
        OldRepairsForgotten f => new RepairsForgotten(Utc(f.Before), Utc(f.RecordedAt)),
        RepairApprovedByOperator a => new RepairApproved(ToApproval(a)),
        RepairNodePausedByOperator p => new NodeRepairsPaused(ToNodePause(p)),
        RepairNodeResumedByOperator r => new NodeRepairsResumed(r.Node, r.By ?? "", Utc(r.RecordedAt)),
        _ => throw new ArgumentException($"{e.GetType().Name} is not a ledger event"),
    };

    public static RepairApprovedByOperator From(RepairApproval a) => new(a.Node, a.At.UtcDateTime, a.Condition, a.Action, a.By, a.Note);

    public static RepairApproval ToApproval(RepairApprovedByOperator a) => new(a.Node, a.Condition ?? "", a.Action, a.By ?? "", a.Note ?? "", Utc(a.RecordedAt));

    public static RepairNodePausedByOperator From(NodePause p) => new(p.Node, p.At.UtcDateTime, p.By, p.Note);

    public static NodePause ToNodePause(RepairNodePausedByOperator p) => new(p.Node, p.By ?? "", Utc(p.RecordedAt), p.Note ?? "");

    public static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    public static DateTimeOffset? Utc(DateTime? at) => at is { } value ? Utc(value) : null;
}

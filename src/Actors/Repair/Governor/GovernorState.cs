using System.Collections.Immutable;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Repair.Governor;

/// <summary>
/// What the governor remembers: the repair ledger (grants, outcomes, the operator pause, zone breakers, approvals, paused nodes), the latest
/// decision per node, and each repair's steps. Pure Changes/Apply, so a replay after failover rebuilds the same state.
/// </summary>
public sealed record GovernorState(
    RepairLedger Ledger,
    ImmutableDictionary<string, RepairDecisionRecorded> Latest,
    ImmutableDictionary<string, RepairRunState> Runs)
{
    public static readonly GovernorState Empty = new(RepairLedger.Empty, ImmutableDictionary.Create<string, RepairDecisionRecorded>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, RepairRunState>(StringComparer.Ordinal));

    /// <summary>Repairs granted and not ended, oldest first.</summary>
    public IEnumerable<RepairRunState> Running => Runs.Values.Where(r => r.Ended is null).OrderBy(r => r.Started.RecordedAt).ThenBy(r => r.Started.RepairId, StringComparer.Ordinal);

    /// <summary>
    /// The events a round adds: breaker trips and closes, each decision whose verdict or explanation differs from the
    /// node's latest, and a withdrawal for each node that had a decision and has none now. An unchanged round adds nothing.
    /// </summary>
    public ImmutableArray<IRepairGovernorEvent> Changes(RepairRound round, IReadOnlySet<string> fleet, DateTimeOffset now)
    {
        var events = ImmutableArray.CreateBuilder<IRepairGovernorEvent>();
        foreach (var change in Ledger.Decide(new RecordZoneChanges(round.ZoneChanges)))
            events.Add(GovernorRecords.From(change));
        var decided = new HashSet<string>(StringComparer.Ordinal);
        foreach (var decision in round.Decisions)
        {
            decided.Add(decision.Node);
            var recorded = GovernorRecords.From(decision);
            if (!Latest.TryGetValue(decision.Node, out var last) || !GovernorRecords.SameDecision(last, recorded))
                events.Add(recorded);
        }

        foreach (var node in Latest.Keys.Where(n => !decided.Contains(n)).Order(StringComparer.Ordinal))
            events.Add(new RepairDecisionWithdrawn(node, now.UtcDateTime,
                fleet.Contains(node) ? "no condition repair acts on is unhealthy any more" : "the node is no longer in the fleet"));
        return events.ToImmutable();
    }

    public GovernorState Apply(IRepairGovernorEvent e) => e switch
    {
        RepairDecisionRecorded d => this with { Latest = Latest.SetItem(d.Node, d) },
        RepairDecisionWithdrawn w => this with
        {
            Latest = Latest.Remove(w.Node),
            Ledger = Ledger with { Approvals = Ledger.Approvals.Remove(w.Node) }, // Healthy again: what was approved is moot.
        },
        RepairStarted s => Runs.ContainsKey(s.RepairId) ? this : this with
        {
            Ledger = Ledger.Apply(GovernorRecords.ToLedger(e)),
            Runs = Runs.SetItem(s.RepairId, new RepairRunState(s, [], null)),
        },
        RepairStepDone d => Runs.TryGetValue(d.RepairId, out var run) && run.Ended is null
            ? this with { Runs = Runs.SetItem(d.RepairId, run with { Steps = run.Steps.OrEmpty().Add(d) }) }
            : this,
        RepairEnded end => Runs.TryGetValue(end.RepairId, out var ended) && ended.Ended is null
            ? this with { Ledger = Ledger.Apply(GovernorRecords.ToLedger(e)), Runs = Runs.SetItem(end.RepairId, ended with { Ended = end }) }
            : this,
        RepairZoneTripped or RepairZoneClosed or RepairPausedByOperator or RepairResumedByOperator or RepairApprovedByOperator
            or RepairNodePausedByOperator or RepairNodeResumedByOperator =>
            this with { Ledger = Ledger.Apply(GovernorRecords.ToLedger(e)) },
        OldRepairsForgotten f => Forget(GovernorRecords.Utc(f.Before)),
        _ => throw new ArgumentException($"the repair governor cannot apply {e.GetType().Name}"),
    };

    /// <summary>
    /// The repairs the ledger's windows no longer read, as an event for this round (null: none). Their runs go with
    /// them, so the state and its snapshot stay bounded however long the governor runs.
    /// </summary>
    public OldRepairsForgotten? Forgetting(RepairPolicy policy, DateTimeOffset now) =>
        Ledger.Decide(new ForgetRepairs(LedgerRetention.Horizon(policy.Escalation, now), now)) is { } forgotten
            ? (OldRepairsForgotten)GovernorRecords.From(forgotten)
            : null;

    private GovernorState Forget(DateTimeOffset before)
    {
        var gone = Ledger.Forgettable(before);
        return gone.Count == 0 ? this : this with { Ledger = Ledger.Apply(new RepairsForgotten(before, before)), Runs = Runs.RemoveRange(gone) };
    }

    public RepairGovernorState ToSnapshot() => new(
        [.. Latest.Values.OrderBy(d => d.Node, StringComparer.Ordinal)],
        [.. Ledger.Zones.Values.OrderBy(z => z.Zone, StringComparer.Ordinal).Select(z => new RepairZoneState(z.Zone, z.TrippedAt?.UtcDateTime, z.TripCause, z.ResumedAt?.UtcDateTime))],
        [.. Runs.Values.OrderBy(r => r.Started.RecordedAt).ThenBy(r => r.Started.RepairId, StringComparer.Ordinal)],
        Ledger.Pause is { } pause ? new RepairPauseState(pause.At.UtcDateTime, pause.By, pause.Note) : null,
        [.. Ledger.Approvals.Values.OrderBy(a => a.Node, StringComparer.Ordinal).Select(GovernorRecords.From)],
        [.. Ledger.PausedNodes.Values.OrderBy(p => p.Node, StringComparer.Ordinal).Select(GovernorRecords.From)]);

    public static GovernorState FromSnapshot(RepairGovernorState snapshot)
    {
        var state = Empty with
        {
            Ledger = RepairLedger.Empty with
            {
                Zones = snapshot.Zones.OrEmpty().ToImmutableDictionary(z => z.Zone,
                    z => new ZoneBreakerState(z.Zone, GovernorRecords.Utc(z.TrippedAt), z.TripCause ?? "", GovernorRecords.Utc(z.ResumedAt)), StringComparer.Ordinal),
                Pause = snapshot.Pause is { } p ? new OperatorPause(p.By ?? "", GovernorRecords.Utc(p.At), p.Note ?? "") : null,
                PausedNodes = snapshot.PausedNodes.ToImmutableDictionary(n => n.Node, GovernorRecords.ToNodePause, StringComparer.Ordinal),
            },
            Latest = snapshot.Decisions.OrEmpty().ToImmutableDictionary(d => d.Node, d => d, StringComparer.Ordinal),
        };
        foreach (var run in snapshot.Runs.OrEmpty())
        {
            state = state.Apply(run.Started);
            foreach (var step in run.Steps.OrEmpty())
                state = state.Apply(step);
            if (run.Ended is { } ended)
                state = state.Apply(ended);
        }

        // After the runs: their grants would use up approvals given since.
        return state with
        {
            Ledger = state.Ledger with { Approvals = snapshot.Approvals.ToImmutableDictionary(a => a.Node, GovernorRecords.ToApproval, StringComparer.Ordinal) },
        };
    }
}

using System.Collections.Immutable;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Repair.Governor;

/// <summary>
/// What the governor remembers: the repair ledger (zone breakers today; grants when execution is built) and the
/// latest decision per node. Pure Changes/Apply, so a replay after failover rebuilds the same state.
/// </summary>
public sealed record GovernorState(RepairLedger Ledger, ImmutableDictionary<string, RepairDecisionRecorded> Latest)
{
    public static readonly GovernorState Empty = new(RepairLedger.Empty, ImmutableDictionary.Create<string, RepairDecisionRecorded>(StringComparer.Ordinal));

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
        RepairDecisionWithdrawn w => this with { Latest = Latest.Remove(w.Node) },
        RepairZoneTripped or RepairZoneClosed => this with { Ledger = Ledger.Apply(GovernorRecords.ToLedger(e)) },
        _ => throw new ArgumentException($"the repair governor cannot apply {e.GetType().Name}"),
    };

    /// <summary>The snapshot; only what DryRun and Off can hold (no grants, no pause: nothing is executed yet).</summary>
    public RepairGovernorState ToSnapshot() => new(
        [.. Latest.Values.OrderBy(d => d.Node, StringComparer.Ordinal)],
        [.. Ledger.Zones.Values.OrderBy(z => z.Zone, StringComparer.Ordinal).Select(z => new RepairZoneState(z.Zone, z.TrippedAt?.UtcDateTime, z.TripCause, z.ResumedAt?.UtcDateTime))]);

    /// <summary>Whether the snapshot holds all of this state (it has no place yet for grants or a pause).</summary>
    public bool FitsSnapshot => Ledger.Repairs.IsDefaultOrEmpty && Ledger.Pause is null;

    public static GovernorState FromSnapshot(RepairGovernorState snapshot) => new(
        RepairLedger.Empty with
        {
            Zones = snapshot.Zones.OrEmpty().ToImmutableDictionary(z => z.Zone,
                z => new ZoneBreakerState(z.Zone, GovernorRecords.Utc(z.TrippedAt), z.TripCause ?? "", GovernorRecords.Utc(z.ResumedAt)), StringComparer.Ordinal),
        },
        snapshot.Decisions.OrEmpty().ToImmutableDictionary(d => d.Node, d => d, StringComparer.Ordinal));
}

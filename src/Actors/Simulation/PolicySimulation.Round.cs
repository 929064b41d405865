using System.Collections.Immutable;
using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Simulation;

// A decision round, as RepairGovernor.Decide does it: the real decider on the fleet snapshot, the breaker changes, the
// verifications of repairs at Verify, and each Start granted by the real ledger (checked against the ledger the round
// started with, one grant after another); then the events are applied in the governor's order.
public sealed partial class PolicySimulation
{
    private static readonly ImmutableHashSet<Denial> BudgetDenials =
        [Denial.MaintenanceWindow, Denial.ZoneStorm, Denial.PoolUnhealthy, Denial.PoolParallel, Denial.FleetParallel];

    private readonly Dictionary<string, SimulatedNode> _byName = new(StringComparer.Ordinal);
    private readonly List<SimulatedNode> _repairing = [];
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);

    private void Round()
    {
        if (_policy.Mode == RepairMode.Off)
            return; // Conditions only: the governor decides nothing.
        _rounds++;
        var snapshots = ImmutableArray.CreateBuilder<NodeSnapshot>(_listed.Count);
        _byName.Clear();
        foreach (var index in _listed)
        {
            var node = _nodes[index];
            snapshots.Add(node.Snapshot());
            _byName[node.Name] = node;
        }

        foreach (var node in _repairing)
            _byName[node.Name] = node;
        var fleet = new FleetSnapshot(snapshots.DrainToImmutable())
        {
            Healthy = [.. _groups.Select((labels, group) => new HealthyNodes(labels, _unlisted[group])).Where(g => g.Count > 0)],
        };
        _evaluations += fleet.Nodes.Length + fleet.Healthy.Sum(g => g.Count);
        var round = RepairDecider.Decide(_policy, _catalog, fleet, _ledger, _now);

        var zoneEvents = _ledger.Decide(new RecordZoneChanges(round.ZoneChanges));
        var finishes = Verifications(fleet);
        var granting = _ledger;
        var grants = new List<(RepairGranted Event, RepairDecision Decision)>();
        foreach (var decision in round.Decisions.Where(d => d.Verdict == RepairVerdict.Start && !d.DryRun))
        {
            var (_, granted) = granting.Decide(new GrantRepair($"{decision.Node}-{_now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}", decision));
            if (granted is null)
                continue;
            granting = granting.Apply(granted);
            grants.Add((granted, decision));
        }

        foreach (var change in zoneEvents)
            _ledger = _ledger.Apply(change);
        _trips += zoneEvents.Count(e => e is ZoneBreakerTripped);
        foreach (var (finished, _) in finishes)
            _ledger = _ledger.Apply(finished);
        foreach (var (finished, node) in finishes)
            Finish(node, finished.Outcome);
        if (grants.Count > 0)
            Start(grants);
        Blocked(round);
        AskForApprovals(round);
        NextWake(round, zoneEvents.Length + finishes.Count + grants.Count > 0);
    }

    private List<(RepairFinished Event, SimulatedNode Node)> Verifications(FleetSnapshot fleet)
    {
        var finishes = new List<(RepairFinished, SimulatedNode)>();
        foreach (var node in _byName.Values.Where(n => n.Repair is { Phase: RepairPhase.Verifying }).OrderBy(n => n.Index))
        {
            var repair = node.Repair!;
            // No boot ids in the simulation (a simulated reboot always happens): verified by the condition's transition.
            var result = RepairVerification.Check(repair.Action, node.Name, repair.Condition, repair.ActedAt, "", fleet, _scenario.Repairs.VerifyTimeout, _now);
            var outcome = result.Verdict switch
            {
                VerifyVerdict.Verified => RepairOutcome.Succeeded,
                VerifyVerdict.TimedOut => RepairOutcome.Failed,
                _ => RepairOutcome.InFlight,
            };
            if (outcome == RepairOutcome.InFlight)
                WakeAt(repair.ActedAt + _scenario.Repairs.VerifyTimeout);
            else if (_ledger.Decide(new FinishRepair(repair.Id, outcome, _now)) is { } finished)
                finishes.Add((finished, node));
        }

        return finishes;
    }

    private void Finish(SimulatedNode node, RepairOutcome outcome)
    {
        node.Repair = null;
        _repairing.Remove(node);
        _outcomes[outcome.ToString()] = _outcomes.GetValueOrDefault(outcome.ToString()) + 1;
        if (node.Present)
        {
            // Verified: uncordoned. Failed: left cordoned for a person (docs/repair-policy.md), who uncordons once it is healthy.
            node.Cordoned = outcome == RepairOutcome.Failed;
            if (node.Cordoned)
                Schedule(_now + _scenario.Repairs.ManualUncordonAfter, SimEventKind.ManualUncordon, node.Index, node.Generation);
            node.ForgetRecoveries();
        }

        Touch(node);
    }

    private void Start(List<(RepairGranted Event, RepairDecision Decision)> grants)
    {
        var counts = PoolCounts();
        var fleetInFlight = counts.Values.Sum(c => c.InFlight);
        foreach (var (granted, decision) in grants)
        {
            var node = _byName[decision.Node];
            var count = counts.GetValueOrDefault(decision.Pool);
            _invariants.Grant(node.Snapshot(), decision.Pool, count.Nodes, count.Unhealthy, count.InFlight, fleetInFlight,
                _ledger.Zone(decision.Zone) is { Tripped: true }, _now);
            counts[decision.Pool] = (count.Nodes, count.Unhealthy, count.InFlight + 1);
            fleetInFlight++;

            _ledger = _ledger.Apply(granted);
            _started++;
            _byAction[decision.Action.ToString()] = _byAction.GetValueOrDefault(decision.Action.ToString()) + 1;
            if (node.Faults.Count > 0 && node.Faults.TrueForAll(f => f.ClearsAt is not null))
                _unnecessary++;
            var repair = new SimulatedRepair(granted.Repair.Id, decision.Action, decision.Condition, _now);
            node.Repair = repair;
            _repairing.Add(node);
            node.Cordoned = false;
            Touch(node);
            node.RepairedWhileDown = true;
            Schedule(_now + _scenario.Repairs.Drain, SimEventKind.DrainDone, node.Index, 0, repair);
        }
    }

    /// <summary>Each pool's nodes, unhealthy nodes and repairs in flight, counted from the simulator's own state (for the invariants).</summary>
    private Dictionary<string, (int Nodes, int Unhealthy, int InFlight)> PoolCounts()
    {
        var counts = new Dictionary<string, (int Nodes, int Unhealthy, int InFlight)>(StringComparer.Ordinal);
        void Add(string pool, int nodes, int unhealthy, int inFlight)
        {
            var count = counts.GetValueOrDefault(pool);
            counts[pool] = (count.Nodes + nodes, count.Unhealthy + unhealthy, count.InFlight + inFlight);
        }

        for (var group = 0; group < _groups.Length; group++)
            Add(_policy.Budgets.PoolOf(_groups[group]), _unlisted[group], 0, 0);
        foreach (var node in _listed.Select(i => _nodes[i]).Concat(_repairing.Where(n => !n.Present)))
            Add(_policy.Budgets.PoolOf(node.Labels), 1, node.Faults.Count > 0 || node.Repair is not null ? 1 : 0, node.Repair is not null ? 1 : 0);
        return counts;
    }

    /// <summary>Each node whose due repair a budget held back, once per outage and clause.</summary>
    private void Blocked(RepairRound round)
    {
        foreach (var decision in round.Decisions)
        {
            if (decision.Verdict != RepairVerdict.Deny || !BudgetDenials.Contains(decision.Denial) || !_byName.TryGetValue(decision.Node, out var node))
                continue;
            var since = node.DownSince ?? _now;
            _blocked.Add((decision.Node, since, decision.Denial));
            _blockedEpisodes.Add((decision.Node, since));
        }
    }

    /// <summary>A simulated operator answers each repair held for approval after <see cref="RepairTimings.ApprovalDelay"/>.</summary>
    private void AskForApprovals(RepairRound round)
    {
        foreach (var decision in round.Decisions)
        {
            if (decision.Denial != Denial.AwaitingApproval || !_byName.TryGetValue(decision.Node, out var node) || !_asked.Add(decision.Node))
                continue;
            var at = _now + _scenario.Repairs.ApprovalDelay;
            Schedule(at, SimEventKind.Approval, node.Index, 0, new RepairApproval(decision.Node, decision.Condition, decision.Action, "simulated operator", "", at));
        }
    }

    private void Approve(RepairApproval approval)
    {
        _asked.Remove(approval.Node);
        if (_ledger.Decide(new ApproveRepair(approval)) is { } approved)
        {
            _ledger = _ledger.Apply(approved);
            WakeAt(_now);
        }
    }

    /// <summary>The next round: when a wait ends or a clause's NotBefore comes, at the next tick after any change, or while a breaker may close.</summary>
    private void NextWake(RepairRound round, bool changed)
    {
        var tick = _now + _scenario.DecideEvery;
        if (changed)
            WakeAt(tick);
        foreach (var decision in round.Decisions)
            if (decision.NotBefore is { } at && decision.Verdict is RepairVerdict.Wait or RepairVerdict.Deny)
                WakeAt(at > tick ? at : tick);
        foreach (var zone in _ledger.Zones.Values.Where(z => z.Tripped))
        {
            var coolDown = zone.TrippedAt!.Value + _policy.ZoneStorm.CoolDown;
            WakeAt(coolDown > tick ? coolDown : tick);
        }
    }
}

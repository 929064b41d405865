using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Simulation;

// What happens between rounds: faults come and go, repairs' steps end, machines leave and join, correlated events.
public sealed partial class PolicySimulation
{
    private void Handle(SimEvent e)
    {
        var node = e.Node >= 0 ? _nodes[e.Node] : null;
        switch (e.Kind)
        {
            case SimEventKind.FaultArrives:
                var (cause, after, next) = _arrivals.Arrive(node!, _now);
                Schedule(next, SimEventKind.FaultArrives, node!.Index);
                // The failure clock runs only while the machine serves: one that is already out does not fail again (renewal).
                if (cause is not null && node.Healthy)
                    AddFault(node, cause.Name, cause.Condition, cause.Status, cause.Reason, after is { } a ? _now + a : null, cause.RebootFixes);
                break;
            case SimEventKind.FaultClears or SimEventKind.FlapOff:
                if (node!.RemoveFault(e.Argument, _now))
                    Changed(node);
                break;
            case SimEventKind.DrainDone:
                DrainDone(node!, (SimulatedRepair)e.Subject!);
                break;
            case SimEventKind.ActionDone:
                RebootDone(node!, (SimulatedRepair)e.Subject!);
                break;
            case SimEventKind.NodeJoins:
                Join(node!);
                break;
            case SimEventKind.ManualUncordon:
                if (node!.Generation == e.Argument && node.Cordoned && node.Repair is null)
                {
                    if (node.Faults.Count == 0)
                    {
                        node.Cordoned = false;
                        Changed(node);
                    }
                    else
                        Schedule(_now + _scenario.Repairs.ManualUncordonAfter, SimEventKind.ManualUncordon, node.Index, node.Generation);
                }

                break;
            case SimEventKind.EventStarts:
                StartEvent((int)e.Argument);
                break;
            case SimEventKind.FlapOn:
                Flap(node!, (int)e.Argument, (int)e.Subject!);
                break;
            case SimEventKind.Housekeeping:
                Forget();
                break;
            case SimEventKind.Approval:
                Approve((RepairApproval)e.Subject!);
                break;
        }
    }

    private ActiveFault? AddFault(SimulatedNode node, string source, string condition, Contracts.ConditionStatus status, string reason, DateTimeOffset? clearsAt, bool rebootFixes)
    {
        // A machine that is rebooting or being replaced shows nothing new until it is back.
        if (!node.Present || node.Repair is { Phase: not RepairPhase.Draining })
            return null;
        var fault = new ActiveFault(++_faultIds, source, condition, status, reason, _now, clearsAt, rebootFixes);
        node.AddFault(fault);
        _faults++;
        if (clearsAt is { } at)
            Schedule(at, SimEventKind.FaultClears, node.Index, fault.Id);
        Changed(node);
        return fault;
    }

    private void Changed(SimulatedNode node)
    {
        Touch(node);
        Dirty();
    }

    private void DrainDone(SimulatedNode node, SimulatedRepair repair)
    {
        if (node.Repair != repair)
            return;
        repair.ActedAt = _now;
        if (repair.Action == RepairAction.Reboot)
        {
            repair.Phase = RepairPhase.Acting;
            Schedule(_now + _scenario.Repairs.Reboot, SimEventKind.ActionDone, node.Index, 0, repair);
            return;
        }

        // Replace: the Node object is deleted now; the new machine joins when the pool has provisioned it.
        repair.Phase = RepairPhase.Verifying;
        node.Leave();
        Schedule(_now + _scenario.Repairs.Replace, SimEventKind.NodeJoins, node.Index);
        Changed(node);
    }

    /// <summary>The machine is back from its reboot: what a reboot fixes is gone; the rest is still there (verification will say so).</summary>
    private void RebootDone(SimulatedNode node, SimulatedRepair repair)
    {
        if (node.Repair != repair)
            return;
        foreach (var fault in node.Faults.Where(f => f.RebootFixes).ToList())
            node.RemoveFault(fault.Id, _now);
        repair.Phase = RepairPhase.Verifying;
        Changed(node);
    }

    private void Join(SimulatedNode node)
    {
        node.Join();
        var random = SimRandom.For(_scenario.Seed, Streams.Joins, ((ulong)node.Index << 16) + (ulong)node.Generation).NextDouble();
        var broken = _scenario.Events.Select((ev, i) => (ev, i)).Where(x => x.ev.Kind == CorrelatedKind.BrokenReplacements && Active(x.ev) && Covers(x.ev, node))
            .FirstOrDefault(x => random < x.ev.Probability);
        if (broken.ev is { } ev)
            AddFault(node, ev.Name, ev.Condition, ev.Status, ev.Reason, null, rebootFixes: false);
        Changed(node);
    }

    private bool Active(CorrelatedEvent ev) => _now >= _scenario.Start + ev.At && _now < _scenario.Start + ev.At + ev.Duration;

    private static bool Covers(CorrelatedEvent ev, SimulatedNode node) =>
        (ev.Pools.IsDefaultOrEmpty || ev.Pools.Contains(node.Pool.Name)) && (ev.Zone is null || ev.Zone == node.Zone);

    /// <summary>Repairs finished long ago are forgotten (the real ForgetRepairs), past every window that reads them.</summary>
    private void Forget()
    {
        var horizon = _policy.Escalation.AttemptWindow + _policy.Escalation.MaxBackoff + _policy.Escalation.RecurrenceWindow + TimeSpan.FromDays(7);
        if (_ledger.Decide(new ForgetRepairs(_now - horizon, _now)) is { } forgotten)
            _ledger = _ledger.Apply(forgotten);
    }
}

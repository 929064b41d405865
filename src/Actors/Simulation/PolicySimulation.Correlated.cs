namespace NodeHealth.Actors.Simulation;

// Correlated events: many nodes at once, drawn from the event's own random stream so every policy meets the same ones.
public sealed partial class PolicySimulation
{
    private void StartEvent(int index)
    {
        var ev = _scenario.Events[index];
        var random = SimRandom.For(_scenario.Seed, Streams.Events, (ulong)index);
        var end = _scenario.Start + ev.At + ev.Duration;
        switch (ev.Kind)
        {
            case CorrelatedKind.ZonePartition:
                foreach (var node in _nodes.Where(n => Covers(ev, n)))
                    if (random.NextDouble() < ev.Fraction)
                        AddFault(node, ev.Name, ev.Condition, ev.Status, ev.Reason, end, rebootFixes: false);
                break;
            case CorrelatedKind.BuggyDetector:
                // Only healthy nodes are marked: the bug is in the detector, not in them.
                foreach (var node in _nodes.Where(n => Covers(ev, n)))
                    if (random.NextDouble() < ev.Fraction && node.Healthy)
                        AddFault(node, ev.Name, ev.Condition, ev.Status, ev.Reason, end, rebootFixes: false);
                break;
            case CorrelatedKind.Flapping:
                var covered = _nodes.Where(n => Covers(ev, n)).Select(n => n.Index).ToArray();
                for (var i = covered.Length - 1; i > 0; i--)
                {
                    var j = (int)(random.NextULong() % (ulong)(i + 1));
                    (covered[i], covered[j]) = (covered[j], covered[i]);
                }

                foreach (var slot in covered.Take(ev.Nodes).Order())
                    Schedule(_now, SimEventKind.FlapOn, slot, index, _nodes[slot].Generation);
                break;
        }
    }

    /// <summary>
    /// The reason shows for unhealthyFor, goes away for healthyFor (the condition turns True: its timer restarts), and
    /// again, on the machine it started on: a replacement does not flap.
    /// </summary>
    private void Flap(SimulatedNode node, int index, int generation)
    {
        var ev = _scenario.Events[index];
        var end = _scenario.Start + ev.At + ev.Duration;
        if (_now >= end || node.Generation != generation)
            return;
        var off = _now + ev.UnhealthyFor < end ? _now + ev.UnhealthyFor : end;
        AddFault(node, ev.Name, ev.Condition, ev.Status, ev.Reason, off, rebootFixes: false);
        Schedule(_now + ev.UnhealthyFor + ev.HealthyFor, SimEventKind.FlapOn, node.Index, index, generation);
    }
}

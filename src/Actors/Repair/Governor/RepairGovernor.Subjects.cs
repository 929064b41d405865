using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Repair.Governor;

// What each record is about, for the sinks that show it (Kubernetes Events, the live feed): one node, or the nodes a zone's breaker or the pause concerns.
public sealed partial class RepairGovernor
{
    /// <summary>The node an event is about (none for a zone's breaker or the pause).</summary>
    private string? NodeOf(IRepairGovernorEvent e) => e switch
    {
        RepairDecisionRecorded d => d.Node,
        RepairDecisionWithdrawn w => w.Node,
        RepairStarted s => s.Node,
        RepairApprovedByOperator a => a.Node,
        RepairNodePausedByOperator p => p.Node,
        RepairNodeResumedByOperator r => r.Node,
        RepairStepDone d => _state.Runs.GetValueOrDefault(d.RepairId)?.Started.Node,
        RepairEnded end => _state.Runs.GetValueOrDefault(end.RepairId)?.Started.Node,
        _ => null,
    };

    /// <summary>
    /// The unhealthy nodes a record about a zone or the fleet holds or releases: those with a repair to do that is not
    /// running, in the zone for a breaker (this round's decisions while a round persists, else the latest); null for a
    /// record about one node.
    /// </summary>
    private IReadOnlyList<string>? Concerning(IRepairGovernorEvent e)
    {
        var unhealthy = _round is { } round
            ? round.Where(d => d.Verdict is not (RepairVerdict.InFlight or RepairVerdict.NoAction)).Select(d => (d.Node, d.Zone))
            : _state.Latest.Values.Where(d => d.Verdict is not (nameof(RepairVerdict.InFlight) or nameof(RepairVerdict.NoAction))).Select(d => (d.Node, d.Zone));
        return e switch
        {
            RepairZoneTripped t => Names(unhealthy.Where(n => n.Zone == t.Zone)),
            RepairZoneClosed c => Names(unhealthy.Where(n => n.Zone == c.Zone)),
            RepairPausedByOperator or RepairResumedByOperator => Names(unhealthy),
            _ => null,
        };

        static string[] Names(IEnumerable<(string Node, string Zone)> nodes) => [.. nodes.Select(n => n.Node).Order(StringComparer.Ordinal)];
    }
}

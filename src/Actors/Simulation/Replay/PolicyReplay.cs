using System.Collections.Immutable;
using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Simulation.Replay;

/// <summary>One recorded decision and what the candidate policy decides in its place.</summary>
public sealed record ReplayedDecision(DateTimeOffset At, string Node, string Recorded, string Candidate, string CandidateWhy, long Line)
{
    public bool Differs => Recorded != Candidate;
}

public sealed record ReplayReport(string Policy, string History, int NodeEvents, int GovernorRecords, int Rounds, int Compared, int Differences,
    int RecordedStarts, int CandidateStarts, ImmutableArray<ReplayedDecision> Decisions);

/// <summary>
/// Replays a deployment's recorded repair rounds under a candidate policy. The governor's records are folded by the
/// real <see cref="GovernorState"/>; at each recorded round the candidate's <see cref="RepairDecider.Decide"/> sees the
/// fleet the round saw (each unhealthy node's findings, its pool and zone; healthy nodes counted from the pool's size
/// in the recorded budget) and the ledger of what had really happened, and each recorded decision is set beside the
/// candidate's. Healthy nodes carry no zone, so zone sizes (the storm breaker's) count only unhealthy nodes.
/// </summary>
public static class PolicyReplay
{
    public static ReplayReport Run(RepairPolicy candidate, string policyName, ReasonCatalog catalog, string history, ImmutableArray<GovernorRecord> records, int nodeEvents)
    {
        var policy = candidate with { Mode = RepairMode.On };
        var state = GovernorState.Empty;
        var decisions = ImmutableArray.CreateBuilder<ReplayedDecision>();
        var (rounds, recordedStarts, candidateStarts) = (0, 0, 0);
        foreach (var round in records.GroupBy(r => r.At))
        {
            var recorded = round.Select(r => r.Event).OfType<RepairDecisionRecorded>().ToList();
            if (recorded.Count > 0)
            {
                rounds++;
                var latest = state.Latest;
                foreach (var e in round.Select(r => r.Event))
                    latest = e switch
                    {
                        RepairDecisionRecorded d => latest.SetItem(d.Node, d),
                        RepairDecisionWithdrawn w => latest.Remove(w.Node),
                        _ => latest,
                    };
                var result = RepairDecider.Decide(policy, catalog, Fleet(policy, latest.Values), state.Ledger, round.Key);
                foreach (var (d, line) in round.Where(r => r.Event is RepairDecisionRecorded).Select(r => ((RepairDecisionRecorded)r.Event, r.Line)))
                {
                    var mine = result.Decisions.FirstOrDefault(c => c.Node == d.Node);
                    var theirs = Verdict(d.Verdict, d.Denial, d.Action);
                    var ours = mine is null ? "none" : Verdict(mine.Verdict.ToString(), mine.Denial.ToString(), mine.Action);
                    recordedStarts += d.Verdict == nameof(RepairVerdict.Start) ? 1 : 0;
                    candidateStarts += mine?.Verdict == RepairVerdict.Start ? 1 : 0;
                    decisions.Add(new ReplayedDecision(round.Key, d.Node, theirs, ours, mine?.Explanation.Rule ?? "no rule of the candidate acts on this node", line));
                }
            }

            foreach (var e in round)
                state = state.Apply(e.Event);
        }

        var all = decisions.ToImmutable();
        return new ReplayReport(policyName, history, nodeEvents, records.Length, rounds, all.Length, all.Count(d => d.Differs), recordedStarts, candidateStarts, all);
    }

    private static string Verdict(string verdict, string denial, RepairAction action) => verdict switch
    {
        nameof(RepairVerdict.Deny) => $"Deny {denial} ({action})",
        nameof(RepairVerdict.NoAction) => "NoAction",
        _ => $"{verdict} {action}",
    };

    /// <summary>The fleet a recorded round saw: each node with a current decision, with its findings as conditions; the rest of each pool as healthy counts.</summary>
    private static FleetSnapshot Fleet(RepairPolicy policy, IEnumerable<RepairDecisionRecorded> latest)
    {
        var poolLabel = policy.Budgets.PoolLabels.IsDefaultOrEmpty ? "karpenter.sh/nodepool" : policy.Budgets.PoolLabels[0];
        var nodes = new List<NodeSnapshot>();
        var poolSizes = new Dictionary<string, (int Nodes, int Listed)>(StringComparer.Ordinal);
        foreach (var d in latest.OrderBy(d => d.Node, StringComparer.Ordinal))
        {
            var labels = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal).Add(poolLabel, d.Pool).Add(policy.Budgets.ZoneLabel, d.Zone);
            var conditions = d.Findings.IsDefault ? [] : d.Findings.GroupBy(f => f.Condition, StringComparer.Ordinal).Select(g =>
            {
                var first = g.OrderBy(f => f.Since).First();
                return new ConditionSnapshot(g.Key, g.Any(f => f.Status == ConditionStatus.False) ? ConditionStatus.False : first.Status, first.Reason,
                    GovernorRecords.Utc(first.Since)) { ActiveReasons = [.. g.Select(f => f.Reason).Distinct(StringComparer.Ordinal)] };
            }).ToImmutableArray();
            nodes.Add(new NodeSnapshot(d.Node, labels, conditions));
            var size = poolSizes.GetValueOrDefault(d.Pool);
            poolSizes[d.Pool] = (Math.Max(size.Nodes, d.Budget?.PoolNodes ?? 0), size.Listed + 1);
        }

        return new FleetSnapshot([.. nodes])
        {
            Healthy = [.. poolSizes.Where(p => p.Value.Nodes > p.Value.Listed).OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new HealthyNodes(ImmutableDictionary.Create<string, string>(StringComparer.Ordinal).Add(poolLabel, p.Key), p.Value.Nodes - p.Value.Listed))],
        };
    }
}

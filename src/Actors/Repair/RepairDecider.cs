using System.Collections.Immutable;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Actors.Yaml;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair;

/// <summary>
/// The repair decision (DESIGN §6): policy, catalog, fleet snapshot, ledger and the time in; a decision with its
/// explanation for every unhealthy node out. Pure, so the coordinator and the simulator run it unchanged on
/// virtual time. Due nodes are judged oldest fault first; the gates in order: opt-out, the node's operator pause,
/// global pause, escalation (attempt cap, backoff), maintenance window, zone storm breaker, the pool's unhealthy
/// limit, the pool's and the fleet's parallel limits, and last an operator's approval where the policy asks for one.
/// Grants of this round count against the parallel limits like in-flight repairs.
/// </summary>
public static class RepairDecider
{
    public static RepairRound Decide(RepairPolicy policy, ReasonCatalog catalog, FleetSnapshot fleet, RepairLedger ledger, DateTimeOffset now)
    {
        if (policy.Mode == RepairMode.Off)
            return new RepairRound([], [], ledger); // Conditions only: repair is left to EKS or Karpenter.

        var budgets = policy.Budgets;
        var nodes = fleet.Nodes.IsDefault ? [] : fleet.Nodes;
        var inFlight = ledger.InFlight.ToList();
        var running = inFlight.GroupBy(r => r.Node, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var history = ledger.Repairs.ToLookup(r => r.Node, StringComparer.Ordinal);
        var healthy = fleet.Healthy.IsDefault ? [] : fleet.Healthy;
        var pools = PoolCounts(policy, nodes, healthy, inFlight);
        var (zones, zoneChanges) = ZoneStormBreaker.Evaluate(policy.ZoneStorm, ledger.Zones, ZoneHealths(policy, nodes, healthy), now);
        ledger = ledger with { Zones = zones };

        var decisions = ImmutableArray.CreateBuilder<RepairDecision>();
        var candidates = new List<(NodeSnapshot Node, ImmutableArray<Fault> Faults, Fault Primary)>();
        foreach (var node in nodes)
        {
            var faults = RepairTriggers.Faults(policy, catalog, node);
            if (faults.IsEmpty)
                continue;
            var actionable = faults.Where(f => f.Action != RepairAction.None).ToList();
            var due = actionable.Where(f => f.IsDue(now)).OrderByDescending(f => f.Action).ThenBy(f => f.Since).ThenBy(f => f.Condition, StringComparer.Ordinal).FirstOrDefault();
            if (running.TryGetValue(node.Name, out var repair))
                decisions.Add(Decision(policy, node, faults, repair.Condition, repair.Reason, repair.Action, RepairVerdict.InFlight, Denial.None, null,
                    $"{repair.Action} of {repair.Condition} ({repair.Reason}) running since {repair.StartedAt:u} (repair {repair.Id}){PausedWhileRunning(ledger, node.Name)}",
                    "in-flight repairs go on", null));
            else if (due is not null)
                candidates.Add((node, faults, due));
            else if (actionable.Count > 0)
            {
                var next = actionable.MinBy(f => f.DueAt)!;
                decisions.Add(Decision(policy, node, faults, next.Condition, next.Reason, next.Action, RepairVerdict.Wait, Denial.None, next.DueAt,
                    $"{next.Condition} unhealthy since {next.Since:u}; {next.Action} is due at {next.DueAt:u} after a wait of {Duration.Text(next.Wait)}", next.WaitClause.ToString(), null));
            }
            else
            {
                var first = faults[0];
                decisions.Add(Decision(policy, node, faults, first.Condition, first.Reason, RepairAction.None, RepairVerdict.NoAction, Denial.None, null,
                    $"no rule repairs what {node.Name} has: {string.Join("; ", faults.Select(f => $"{f.Condition}/{f.Reason}: {f.ActionClause.Text}"))}", first.ActionClause.ToString(), null));
            }
        }

        var granted = new Dictionary<string, int>(StringComparer.Ordinal);
        var grantedTotal = 0;
        foreach (var (node, faults, primary) in candidates.OrderBy(c => c.Primary.Since).ThenBy(c => c.Node.Name, StringComparer.Ordinal))
        {
            var pool = budgets.PoolOf(node);
            var count = pools[pool] with { InFlight = pools[pool].InFlight + granted.GetValueOrDefault(pool) };
            var budget = budgets.For(pool);
            var zone = budgets.ZoneOf(node);
            var state = Budget(policy, ledger, count, budget, inFlight.Count + grantedTotal, zone, now);
            var step = Escalation.Next(policy.Escalation, primary.Action, primary.Condition, primary.Since, history[node.Name], now);
            var rule = $"{primary.Condition}={primary.Status} ({primary.Reason}) since {primary.Since:u}, past its wait of {Duration.Text(primary.Wait)}: {step.Action} ({step.Why})";
            var verdict = Gate(policy, ledger, node, count, budget, inFlight.Count + grantedTotal, zone, step, primary.Since, now);
            if (verdict.Denial == Denial.None)
            {
                granted[pool] = granted.GetValueOrDefault(pool) + 1;
                grantedTotal++;
            }

            decisions.Add(Decision(policy, node, faults, primary.Condition, primary.Reason, step.Action,
                verdict.Denial == Denial.None ? RepairVerdict.Start : RepairVerdict.Deny, verdict.Denial, verdict.NotBefore,
                verdict.Denial == Denial.None ? rule + verdict.Why : $"{rule}; denied: {verdict.Why}",
                verdict.Denial == Denial.None ? $"{primary.WaitClause}; {primary.ActionClause}; {step.Clause}{verdict.Clause}" : verdict.Clause, state));
        }

        return new RepairRound([.. decisions.OrderBy(d => d.Node, StringComparer.Ordinal)], zoneChanges, ledger);

        RepairDecision Decision(RepairPolicy p, NodeSnapshot node, ImmutableArray<Fault> faults, string condition, string reason, RepairAction action,
            RepairVerdict verdict, Denial denial, DateTimeOffset? notBefore, string rule, string clause, BudgetState? state)
        {
            var pool = p.Budgets.PoolOf(node);
            state ??= Budget(p, ledger, pools[pool], p.Budgets.For(pool), inFlight.Count, p.Budgets.ZoneOf(node), now);
            return new RepairDecision(node.Name, pool, p.Budgets.ZoneOf(node), condition, reason, action, verdict, denial,
                p.Mode == RepairMode.DryRun, now, notBefore, new RepairExplanation(faults, rule, clause, state));
        }
    }

    private sealed record GateResult(Denial Denial, string Why, string Clause, DateTimeOffset? NotBefore);

    /// <summary>The first clause that holds the repair back; Denial.None when none does (Why and Clause then name an approval it starts on, if any).</summary>
    private static GateResult Gate(RepairPolicy policy, RepairLedger ledger, NodeSnapshot node, PoolCount pool, PoolBudget budget,
        int fleetInFlight, string zone, EscalationStep step, DateTimeOffset faultSince, DateTimeOffset now)
    {
        if (OptOutKey(policy, node) is { } key)
            return new(Denial.OptOut, $"{node.Name} opted out of repair ({key})", $"optOutKeys ({policy.Origin})", null);
        if (ledger.PausedNodes.GetValueOrDefault(node.Name) is { } nodePause)
            return new(Denial.NodePaused, $"repair of {node.Name} is paused by {nodePause.By} since {nodePause.At:u}{(nodePause.Note.Length > 0 ? $": {nodePause.Note}" : "")}" +
                $" (POST /api/repairs/nodes/{node.Name}/resume lifts it)", "node pause (operator)", null);
        if (ledger.Pause is { } pause)
            return new(Denial.Paused, $"repair is paused by {pause.By} since {pause.At:u}{(pause.Note.Length > 0 ? $": {pause.Note}" : "")}", "global pause (operator)", null);
        if (step.Refused)
            return new(step.Refusal == EscalationRefusal.Backoff ? Denial.Backoff : Denial.AttemptCap, step.Why, step.Clause, step.NotBefore);
        if (!MaintenanceSchedule.IsOpen(policy.MaintenanceWindows, now))
        {
            var opens = MaintenanceSchedule.NextOpening(policy.MaintenanceWindows, now);
            return new(Denial.MaintenanceWindow, $"outside every maintenance window; the next opens at {opens.UtcDateTime:u}",
                $"maintenanceWindows: {string.Join("; ", policy.MaintenanceWindows.Select(w => $"{w} ({w.Origin})"))}", opens);
        }

        if (ledger.Zone(zone) is { Tripped: true } breaker)
            return new(Denial.ZoneStorm, $"the storm breaker of zone {zone} tripped at {breaker.TrippedAt:u}: {breaker.TripCause}",
                $"zoneStormBreaker ({policy.ZoneStorm.Origin}): resumes by an operator or after {Duration.Text(policy.ZoneStorm.CoolDown)} without a storm", breaker.TrippedAt + policy.ZoneStorm.CoolDown);
        if (PoolBudgets.UnhealthyStop(budget, pool) is { } stop)
            return new(Denial.PoolUnhealthy, stop, $"budgets: {budget.UnhealthyLimitText} ({budget.Origin})", null);
        var parallel = PoolBudgets.ParallelLimit(budget, pool);
        if (pool.InFlight >= parallel)
            return new(Denial.PoolParallel, $"pool {pool.Pool} already has {pool.InFlight} repair(s) running, its limit is {parallel}", $"budgets: {budget.ParallelLimitText} per pool ({budget.Origin})", null);
        if (fleetInFlight >= policy.Budgets.MaxParallelTotal)
            return new(Denial.FleetParallel, $"the fleet already has {fleetInFlight} repair(s) running, its limit is {policy.Budgets.MaxParallelTotal}", $"budgets: maxParallelTotal {policy.Budgets.MaxParallelTotal} ({policy.Budgets.Origin})", null);
        return Approval(policy.Approval, ledger, node.Name, pool.Pool, step.Action, faultSince, now);
    }

    /// <summary>A pause of a node under repair holds back its next repair, not this one (cancel stops this one).</summary>
    private static string PausedWhileRunning(RepairLedger ledger, string node) =>
        ledger.PausedNodes.GetValueOrDefault(node) is { } pause
            ? $"; paused by {pause.By} since {pause.At:u}: this repair goes on (cancel stops it), no new one starts until resumed"
            : "";

    /// <summary>The last gate: an action the approval clause holds starts only on an operator's valid approval.</summary>
    private static GateResult Approval(ApprovalPolicy approval, RepairLedger ledger, string node, string pool, RepairAction action,
        DateTimeOffset faultSince, DateTimeOffset now)
    {
        if (!approval.Requires(action, pool))
            return new(Denial.None, "", "", null);
        if (approval.Valid(ledger.Approvals.GetValueOrDefault(node), action, faultSince, now) is { } yes)
            return new(Denial.None, $"; approved by {yes.By} at {yes.At:u}{(yes.Note.Length > 0 ? $": {yes.Note}" : "")}", $"; {approval.Clause}", null);
        var stale = ledger.Approvals.GetValueOrDefault(node) is { } old
            ? old.Action != action ? $" (the approval by {old.By} is for {old.Action})"
            : old.At < faultSince ? $" (the approval by {old.By} at {old.At:u} came before this fault)"
            : $" (the approval by {old.By} at {old.At:u} expired)"
            : "";
        return new(Denial.AwaitingApproval, $"{action} of {node} waits for an operator's approval{stale}: POST /api/repairs/nodes/{node}/approve", approval.Clause, null);
    }

    /// <summary>The opt-out key the node carries as a label or an annotation (any value but "false"), or null.</summary>
    public static string? OptOutKey(RepairPolicy policy, NodeSnapshot node)
    {
        foreach (var key in policy.OptOutKeys)
        {
            if (node.Labels.TryGetValue(key, out var label) && !string.Equals(label, "false", StringComparison.OrdinalIgnoreCase))
                return $"label {key}={label}";
            if (node.Annotations.TryGetValue(key, out var note) && !string.Equals(note, "false", StringComparison.OrdinalIgnoreCase))
                return $"annotation {key}={note}";
        }

        return null;
    }

    private static BudgetState Budget(RepairPolicy policy, RepairLedger ledger, PoolCount pool, PoolBudget budget, int fleetInFlight, string zone, DateTimeOffset now) => new(
        pool.Pool, pool.Nodes, pool.Unhealthy, budget.UnhealthyLimitText, pool.InFlight, PoolBudgets.ParallelLimit(budget, pool),
        fleetInFlight, policy.Budgets.MaxParallelTotal, zone,
        ledger.Zone(zone) is { Tripped: true } breaker ? $"tripped at {breaker.TrippedAt:u}" : "closed",
        policy.MaintenanceWindows.IsDefaultOrEmpty ? "none configured (any time)"
            : MaintenanceSchedule.IsOpen(policy.MaintenanceWindows, now) ? "open" : $"closed until {MaintenanceSchedule.NextOpening(policy.MaintenanceWindows, now).UtcDateTime:u}");

    /// <summary>Every pool's nodes and unhealthy nodes; a node in repair counts as unhealthy, and as a member even when it is gone from the snapshot (being replaced).</summary>
    public static Dictionary<string, PoolCount> PoolCounts(RepairPolicy policy, ImmutableArray<NodeSnapshot> nodes, ImmutableArray<HealthyNodes> healthy, List<RepairRecord> inFlight)
    {
        var counts = new Dictionary<string, PoolCount>(StringComparer.Ordinal);
        var repairing = inFlight.Select(r => r.Node).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            seen.Add(node.Name);
            var pool = policy.Budgets.PoolOf(node);
            var count = counts.GetValueOrDefault(pool) ?? new PoolCount(pool, 0, 0, 0);
            var unhealthy = repairing.Contains(node.Name) || RepairTriggers.IsUnhealthy(policy, node);
            counts[pool] = count with { Nodes = count.Nodes + 1, Unhealthy = count.Unhealthy + (unhealthy ? 1 : 0) };
        }

        foreach (var group in healthy)
        {
            var pool = policy.Budgets.PoolOf(group.Labels);
            var count = counts.GetValueOrDefault(pool) ?? new PoolCount(pool, 0, 0, 0);
            counts[pool] = count with { Nodes = count.Nodes + group.Count };
        }

        foreach (var repair in inFlight)
        {
            var count = counts.GetValueOrDefault(repair.Pool) ?? new PoolCount(repair.Pool, 0, 0, 0);
            var gone = seen.Add(repair.Node) ? 1 : 0;
            counts[repair.Pool] = count with { Nodes = count.Nodes + gone, Unhealthy = count.Unhealthy + gone, InFlight = count.InFlight + 1 };
        }

        return counts;
    }

    private static IEnumerable<ZoneHealth> ZoneHealths(RepairPolicy policy, ImmutableArray<NodeSnapshot> nodes, ImmutableArray<HealthyNodes> healthy)
    {
        var zones = new Dictionary<string, (int Nodes, List<DateTimeOffset> Since)>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var zone = policy.Budgets.ZoneOf(node);
            var entry = zones.TryGetValue(zone, out var known) ? known : (0, []);
            if (RepairTriggers.UnhealthySince(policy, node) is { } since)
                entry.Since.Add(since);
            zones[zone] = (entry.Nodes + 1, entry.Since);
        }

        foreach (var group in healthy)
        {
            var zone = policy.Budgets.ZoneOf(group.Labels);
            var entry = zones.TryGetValue(zone, out var known) ? known : (0, []);
            zones[zone] = (entry.Nodes + group.Count, entry.Since);
        }

        return zones.Select(z => new ZoneHealth(z.Key, z.Value.Nodes, [.. z.Value.Since]));
    }
}

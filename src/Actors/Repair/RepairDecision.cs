using System.Collections.Immutable;
using System.Text;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair;

public enum RepairVerdict
{
    /// <summary>Start the repair now (in DryRun: record that it would start).</summary>
    Start = 0,
    /// <summary>A fault is not due yet; repair may act at NotBefore.</summary>
    Wait = 1,
    /// <summary>Due, but a clause holds it back (see Denial).</summary>
    Deny = 2,
    /// <summary>The node is unhealthy, but no rule repairs what it has.</summary>
    NoAction = 3,
    /// <summary>A repair of this node is already running.</summary>
    InFlight = 4,
}

public enum Denial
{
    None = 0,
    OptOut = 1,
    Paused = 2,
    AttemptCap = 3,
    Backoff = 4,
    MaintenanceWindow = 5,
    ZoneStorm = 6,
    PoolUnhealthy = 7,
    PoolParallel = 8,
    FleetParallel = 9,
    /// <summary>Every other clause allows it, but the policy's approval clause holds this action for an operator's yes.</summary>
    AwaitingApproval = 10,
    /// <summary>An operator paused repair of this node (POST /api/repairs/nodes/{name}/pause) until they resume it.</summary>
    NodePaused = 11,
}

/// <summary>The budgets a decision was judged by, at that moment.</summary>
public sealed record BudgetState(
    string Pool,
    int PoolNodes,
    int PoolUnhealthy,
    string PoolUnhealthyLimit,
    int PoolInFlight,
    int PoolParallelLimit,
    int FleetInFlight,
    int FleetParallelLimit,
    string Zone,
    string ZoneBreaker,
    string MaintenanceWindow)
{
    public override string ToString() =>
        $"pool {Pool}: {PoolUnhealthy}/{PoolNodes} unhealthy ({PoolUnhealthyLimit}), {PoolInFlight}/{PoolParallelLimit} repairs running; "
        + $"fleet: {FleetInFlight}/{FleetParallelLimit} running; zone {Zone}: {ZoneBreaker}; maintenance window: {MaintenanceWindow}";
}

/// <summary>
/// Why: the findings (every fault of the node with its wait and action), the rule that decided, the policy clause it
/// comes from, and the budget state. <see cref="Text"/> is the form a person reads in an Event or the API.
/// </summary>
public sealed record RepairExplanation(ImmutableArray<Fault> Findings, string Rule, string Clause, BudgetState Budget)
{
    public string Text
    {
        get
        {
            var text = new StringBuilder(Rule).Append(" [").Append(Clause).Append("]. Findings: ");
            text.AppendJoin("; ", Findings.Select(f => f.ToString()));
            return text.Append(". Budget: ").Append(Budget).Append('.').ToString();
        }
    }
}

/// <summary>One decision about one node, with its explanation; denials are decisions too.</summary>
public sealed record RepairDecision(
    string Node,
    string Pool,
    string Zone,
    string Condition,
    string Reason,
    RepairAction Action,
    RepairVerdict Verdict,
    Denial Denial,
    bool DryRun,
    DateTimeOffset DecidedAt,
    DateTimeOffset? NotBefore,
    RepairExplanation Explanation);

/// <summary>A round's decisions, the breakers that changed, and the ledger with those changes applied (grants are the caller's to record).</summary>
public sealed record RepairRound(ImmutableArray<RepairDecision> Decisions, ImmutableArray<ZoneBreakerChange> ZoneChanges, RepairLedger Ledger);

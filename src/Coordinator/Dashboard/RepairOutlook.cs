using NodeHealth.Coordinator.Repair;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>
/// What repair will do about one node, in a sentence: when it will act (<see cref="ActsAt"/>, a countdown on the
/// page), or why it will not. <see cref="Kind"/> names the case for styling and tests.
/// </summary>
public sealed record RepairOutlook(string Kind, string Text, DateTime? ActsAt = null, string? Detail = null)
{
    /// <summary>
    /// The outlook from the governor's answer: a running repair first, then the mode, then the node's latest decision.
    /// <paramref name="repairs"/> is null when the governor did not answer.
    /// </summary>
    public static RepairOutlook For(string node, NodeHealthLevel level, RepairListView? repairs)
    {
        if (repairs is null)
            return new("unavailable", "Repair state unavailable: the repair governor did not answer (it moves on failover); the page retries.");
        if (repairs.Repairs.FirstOrDefault(r => r.Node == node && r.State == "InFlight") is { } run)
            return new("repairing", $"Repairing: {run.Action} since {run.StartedAt:u}", Detail: run.Now);
        if (repairs.Mode == "Off")
            return new("off", "Repair is off (Repair:Mode Off): conditions are published, repair is left to others.");
        var decision = repairs.Decisions.FirstOrDefault(d => d.Node == node);
        if (decision is null)
            return level == NodeHealthLevel.Unknown
                ? new("none", "No repair: an Unknown condition never triggers repair by itself.")
                : new("none", "No repair decision yet: the governor decides every Repair:DecideEvery.");
        var dryRun = decision.DryRun ? " (dry run: recorded, nothing is touched)" : "";
        return decision.State switch
        {
            "Wait" when decision.NotBefore is { } at => new("wait", $"{decision.Action} {decision.Condition}/{decision.Reason}{dryRun}", at, decision.Explanation.Text),
            "Start" => new("start", decision.DryRun ? $"Would {decision.Action.ToLowerInvariant()} now{dryRun}" : $"{decision.Action} starting now", Detail: decision.Explanation.Text),
            "Deny" => new("deny", $"Held back: {DenialText(decision.Denial)}", decision.NotBefore, decision.Explanation.Text),
            "NoAction" => new("no-action", $"No repair action for {decision.Condition}/{decision.Reason} (the policy says NoAction)", Detail: decision.Explanation.Text),
            "InFlight" => new("repairing", "A repair is in flight", Detail: decision.Explanation.Text),
            _ => new(decision.State.ToLowerInvariant(), decision.State, decision.NotBefore, decision.Explanation.Text),
        };
    }

    /// <summary>The governor's denial names (Denial) as an operator reads them.</summary>
    public static string DenialText(string? denial) => denial switch
    {
        "OptOut" => "the node opted out of repair (label or annotation)",
        "Paused" => "repairs are paused by an operator",
        "AttemptCap" => "the node reached its repair attempt cap",
        "Backoff" => "backing off after a failed repair",
        "MaintenanceWindow" => "outside the maintenance window",
        "ZoneStorm" => "the zone's storm breaker tripped",
        "PoolUnhealthy" => "too many unhealthy nodes in the pool",
        "PoolParallel" => "the pool's parallel repairs are all in use",
        "FleetParallel" => "the fleet's parallel repairs are all in use",
        "AwaitingApproval" => "waiting for an operator's approval",
        "NodePaused" => "an operator paused repair of this node",
        null or "" => "no reason given",
        _ => denial,
    };
}

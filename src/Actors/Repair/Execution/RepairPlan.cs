using System.Collections.Immutable;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Execution;

public enum RepairStep
{
    Cordon = 0,
    Drain = 1,
    Reboot = 2,
    Replace = 3,
    /// <summary>Judged by the governor on each round from the fleet view (<see cref="RepairVerification"/>), not by a runner.</summary>
    Verify = 4,
    Uncordon = 5,
    /// <summary>Clears in the node's health entity what is still active of the repaired condition ("repaired by …").</summary>
    ClearFaults = 6,
}

/// <summary>
/// The steps of a repair, in order: cordon, drain, the action, verify; a reboot then uncordons (a replaced node is gone);
/// last, what was repaired is cleared in the node's health history. A run resumed after a failover starts at the first step
/// not recorded done, so every step must be idempotent.
/// </summary>
public static class RepairPlan
{
    public static ImmutableArray<RepairStep> Steps(RepairAction action) => action switch
    {
        RepairAction.Reboot => [RepairStep.Cordon, RepairStep.Drain, RepairStep.Reboot, RepairStep.Verify, RepairStep.Uncordon, RepairStep.ClearFaults],
        RepairAction.Replace => [RepairStep.Cordon, RepairStep.Drain, RepairStep.Replace, RepairStep.Verify, RepairStep.ClearFaults],
        _ => throw new ArgumentException($"{action} is not a repair that runs"),
    };

    /// <summary>The cause a verified repair's clear records in the node's history: "repaired by reboot node-a-20261128T101500Z".</summary>
    public static string RepairedBy(RepairAction action, string repairId) => $"repaired by {action.ToString().ToLowerInvariant()} {repairId}";

    /// <summary>The first step not done yet, or null when all are (the repair succeeded).</summary>
    public static RepairStep? Next(RepairAction action, IEnumerable<string> done)
    {
        var finished = done.ToHashSet(StringComparer.Ordinal);
        foreach (var step in Steps(action))
            if (!finished.Contains(step.ToString()))
                return step;
        return null;
    }
}

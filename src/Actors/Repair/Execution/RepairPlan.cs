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
}

/// <summary>
/// The steps of a repair, in order: cordon, drain, the action, verify; a reboot then uncordons (a replaced node is gone).
/// A run resumed after a failover starts at the first step not recorded done, so every step must be idempotent.
/// </summary>
public static class RepairPlan
{
    public static ImmutableArray<RepairStep> Steps(RepairAction action) => action switch
    {
        RepairAction.Reboot => [RepairStep.Cordon, RepairStep.Drain, RepairStep.Reboot, RepairStep.Verify, RepairStep.Uncordon],
        RepairAction.Replace => [RepairStep.Cordon, RepairStep.Drain, RepairStep.Replace, RepairStep.Verify],
        _ => throw new ArgumentException($"{action} is not a repair that runs"),
    };

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

namespace NodeHealth.Actors.Repair.Execution;

public enum StepStatus
{
    /// <summary>The step did what it is for (or found it already done: every step is idempotent).</summary>
    Done = 0,
    /// <summary>Not now (API server unreachable, agent not connected, 429): the run tries the step again later.</summary>
    Retry = 1,
    /// <summary>The step cannot succeed; the repair fails and escalation decides what comes next.</summary>
    Failed = 2,
}

/// <summary>
/// How one step of a repair ended, and what a person reads about it (it goes into the decision log and an Event).
/// <see cref="ForHostBootId"/>: of a reboot, the node's boot when it was asked (empty when unknown); verification waits for another.
/// </summary>
public sealed record StepOutcome(StepStatus Status, string Detail)
{
    public string ForHostBootId { get; init; } = "";

    public static StepOutcome Done(string detail) => new(StepStatus.Done, detail);
    public static StepOutcome Retry(string detail) => new(StepStatus.Retry, detail);
    public static StepOutcome Failed(string detail) => new(StepStatus.Failed, detail);
}

/// <summary>Marks a node unschedulable before it is drained, and schedulable again once it is repaired.</summary>
public interface INodeCordon
{
    Task<StepOutcome> CordonAsync(string node, CancellationToken cancellation);

    Task<StepOutcome> UncordonAsync(string node, CancellationToken cancellation);
}

/// <summary>
/// How a drain runs: evictions (honouring PodDisruptionBudgets) until <see cref="Timeout"/> after the drain started,
/// then what is left is deleted with <see cref="DeleteGracePeriod"/> (null: each pod's own grace period).
/// </summary>
public sealed record DrainSettings(TimeSpan Timeout, TimeSpan? DeleteGracePeriod)
{
    /// <summary>EKS node auto repair's drain timeout.</summary>
    public static readonly DrainSettings Default = new(TimeSpan.FromMinutes(15), null);
}

/// <summary>
/// Empties a node of its pods through the Eviction API; DaemonSet and mirror pods stay. <paramref name="startedAt"/>
/// is when this repair's drain first started, so a drain resumed after a failover keeps its original deadline.
/// </summary>
public interface INodeDrain
{
    Task<StepOutcome> DrainAsync(string node, DrainSettings settings, DateTimeOffset startedAt, CancellationToken cancellation);
}

/// <summary>
/// Replaces a node through the provider configured for its pool (delete the Node, its Karpenter NodeClaim, its
/// Cluster API Machine, …). Done means the provider accepted the replacement; a replacement already under way is Done.
/// </summary>
public interface INodeReplacer
{
    Task<StepOutcome> ReplaceAsync(string node, string pool, CancellationToken cancellation);
}

/// <summary>
/// Asks the node's agent to reboot its host, under the repair's id (asking again with the same id never reboots twice).
/// Done means the agent accepted the command (or the node has rebooted since it was asked), with
/// <see cref="StepOutcome.ForHostBootId"/> the boot it was asked on; verification then waits until the node reports
/// another boot (<see cref="RepairVerification"/>), with the repaired condition True.
/// </summary>
public interface INodeRebooter
{
    Task<StepOutcome> RebootAsync(string node, string repairId, CancellationToken cancellation);
}

/// <summary>
/// After a verified repair: clears in the node's health entity every fault of the repaired condition still active since
/// <paramref name="repairStarted"/> or earlier (what the repair was for), under <paramref name="cause"/>
/// (<see cref="RepairPlan.RepairedBy"/>), as an operator's clear does. Nothing active (a reboot's new boot cleared it), a
/// condition that is not ours (the kubelet's Ready) or a node no agent reported for: Done, nothing recorded.
/// </summary>
public interface INodeFaultClearer
{
    Task<StepOutcome> ClearRepairedAsync(string node, string condition, DateTimeOffset repairStarted, string cause, CancellationToken cancellation);
}

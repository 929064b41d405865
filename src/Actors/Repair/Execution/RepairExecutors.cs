namespace NodeHealth.Actors.Repair.Execution;

/// <summary>
/// What carries repairs out (Repair:Mode On): the Kubernetes side (cordon, drain, replace), the agent side (reboot),
/// the node's health history (clearing what was repaired), and the timings. Without them the governor only decides.
/// </summary>
public sealed record RepairExecutors(INodeCordon Cordon, INodeDrain Drain, INodeReplacer Replacer, INodeRebooter Rebooter, INodeFaultClearer Faults)
{
    public DrainSettings DrainSettings { get; init; } = DrainSettings.Default;

    /// <summary>How long a rebooted node has to come back healthy, or a replaced one to leave, before the repair fails.</summary>
    public TimeSpan VerifyTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The first wait before a step answered Retry is tried again; it doubles up to <see cref="RetryAtMost"/>.</summary>
    public TimeSpan RetryFirst { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryAtMost { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A step still answering Retry this long after its first try fails the repair (an agent that never reconnects,
    /// an API server refusing for good), so escalation can decide instead of the repair holding its budget forever.
    /// </summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(30);
}

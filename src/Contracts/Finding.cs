using System.Collections.Immutable;
using ProtoBuf;

namespace NodeHealth.Contracts;

/// <summary>
/// One observation of a fault on a node. <see cref="AgentBootId"/> names one run of the agent
/// process and <see cref="Sequence"/> counts within it, so (AgentBootId, Sequence) identifies a
/// finding across resends. <see cref="Recovery"/> says how a Fatal finding's fault clears (None
/// otherwise), <see cref="QuietFor"/> how long without recurrence clears it in mode quiet;
/// <see cref="HostBootId"/> is the node's kernel boot id when it was observed (empty when unknown).
/// Severity, recovery, quiet period and <see cref="Repair"/> are the coordinator's to decide: it
/// restates them from its catalog before recording a finding, whatever the agent sent.
/// <see cref="Count"/> is how many occurrences (log lines) the finding stands for: more than 1 when the agent
/// folded rate-limited repeats into it; 0, from an agent older than the field, means 1 (read it through
/// <see cref="Findings.Occurrences"/>).
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record Finding(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] ConditionType Condition,
    [property: ProtoMember(3)] string Reason,
    [property: ProtoMember(4)] Severity Severity,
    [property: ProtoMember(5)] string Message,
    [property: ProtoMember(6)] DateTime ObservedAt,
    [property: ProtoMember(7)] string Source,
    [property: ProtoMember(8)] string? Entity,
    [property: ProtoMember(9)] string AgentBootId,
    [property: ProtoMember(10)] long Sequence,
    [property: ProtoMember(11)] Catalog.RecoveryMode Recovery = Catalog.RecoveryMode.None,
    [property: ProtoMember(12)] string HostBootId = "",
    [property: ProtoMember(13)] TimeSpan QuietFor = default,
    [property: ProtoMember(14)] Catalog.RepairAction Repair = Catalog.RepairAction.None,
    [property: ProtoMember(15)] int Count = 1) : IHealthProtocolMessage;

public static class Findings
{
    /// <summary>How many occurrences <paramref name="finding"/> stands for, at least 1 (an old sender's 0 is one).</summary>
    public static int Occurrences(this Finding finding) => finding.Count <= 0 ? 1 : finding.Count;
}

/// <summary>Whether a subsystem monitor on an agent is watching its sources.</summary>
public enum MonitorState
{
    Unknown = 0,
    /// <summary>Reading its sources; silence means healthy.</summary>
    Active = 1,
    /// <summary>Has no rules to run yet, or is turned off: its condition is not published.</summary>
    Inactive = 2,
    /// <summary>Should run but cannot read its sources: its condition is Unknown, never True.</summary>
    Failed = 3,
    /// <summary>
    /// Started but has not looked at its sources yet (an agent restart): its condition stays as it was,
    /// status, reason and transition time alike, until the monitor says more.
    /// </summary>
    Starting = 4,
    /// <summary>
    /// What the condition watches is not on this node (AcceleratedHardwareReady without an accelerator): the
    /// condition is not published, and findings of it are recorded (events, history) but hold no fault.
    /// </summary>
    Absent = 5,
}

/// <summary>
/// One monitor's state. <see cref="Reason"/> is what its condition shows when it is not faulted:
/// the catalog's ready reason (KernelIsReady) while Active, the cause while Failed.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record MonitorStatus(
    [property: ProtoMember(1)] ConditionType Condition,
    [property: ProtoMember(2)] MonitorState State,
    [property: ProtoMember(3)] string Reason,
    [property: ProtoMember(4)] string Detail) : IHealthProtocolMessage;

public static class MonitorStatuses
{
    /// <summary>Reason a monitor gives while <see cref="MonitorState.Starting"/>, and a condition it cannot vouch for yet.</summary>
    public const string StartingReason = "MonitorStarting";

    /// <summary>Order-insensitive comparison: a report that changes nothing is not persisted again.</summary>
    public static bool SameAs(this ImmutableArray<MonitorStatus> a, ImmutableArray<MonitorStatus> b) =>
        a.Length == b.Length && a.OrderBy(m => m.Condition).SequenceEqual(b.OrderBy(m => m.Condition));
}

using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Coordinator.Api;

/// <summary>The REST shapes: Kubernetes-like condition fields, recent findings and events.</summary>
public sealed record ConditionView(
    string Type, string Status, string Reason, string Message, DateTime LastTransitionTime, IReadOnlyList<ActiveFaultView> ActiveFaults)
{
    public static ConditionView From(ConditionState c) => new(
        c.Type.ToString(), c.Status.ToString(), c.Reason, c.Message, c.LastTransitionTime,
        [.. c.ActiveFaults.OrEmpty().Select(f => new ActiveFaultView(f.Reason, f.Message, f.Since, f.LastSeen, f.Count, f.Recovery.ToString(), f.Repair.ToString()))]);
}

/// <summary>
/// <see cref="Count"/>: occurrences of the fault since it became active (each finding adds the occurrences it stands for);
/// <see cref="Recovery"/>: how the fault clears; <see cref="Repair"/>: the catalog's default repair action for it.
/// </summary>
public sealed record ActiveFaultView(string Reason, string Message, DateTime Since, DateTime LastSeen, long Count, string Recovery, string Repair);

/// <summary><see cref="Count"/>: how many occurrences the finding stands for (repeats the agent folded into it).</summary>
public sealed record FindingView(
    string Condition, string Reason, string Severity, string Message, DateTime ObservedAt, string Source, string? Entity, string AgentBootId, long Sequence, int Count)
{
    public static FindingView From(Finding f) => new(
        f.Condition.ToString(), f.Reason, f.Severity.ToString(), f.Message, f.ObservedAt, f.Source, f.Entity, f.AgentBootId, f.Sequence, f.Occurrences());
}

/// <summary>As published to Kubernetes the event's reason is the condition type; <see cref="Reason"/> is the finding's.</summary>
public sealed record EventView(string Type, string Condition, string Reason, string Message, DateTime FirstTimestamp, DateTime LastTimestamp, long Count)
{
    public static EventView From(NodeEvent e) => new(
        e.Type.ToString(), e.Condition.ToString(), e.Reason, e.Message, e.FirstTimestamp, e.LastTimestamp, e.Count);
}

public sealed record MonitorView(string Condition, string State, string Reason, string Detail)
{
    public static MonitorView From(MonitorStatus m) => new(m.Condition.ToString(), m.State.ToString(), m.Reason, m.Detail);
}

/// <summary>Present while the node's agent is silent past its lease.</summary>
public sealed record AgentSilenceView(DateTime LastHeardAt, double LeaseSeconds, DateTime Since)
{
    public static AgentSilenceView? From(AgentSilence? s) => s is null ? null : new(s.LastHeardAt, s.Lease.TotalSeconds, s.Since);
}

/// <summary>
/// The node's Kubernetes Node object as the entity knows it: its uid (empty until an informer told it), the boot id last
/// recorded (from the agent or the Node), and, once the Node is deleted, when, why, and when the node will be forgotten.
/// </summary>
public sealed record NodeObjectView(string Uid, string HostBootId, DateTime? DeletedAt = null, string? DeletedBecause = null, DateTime? ForgottenAfter = null)
{
    public static NodeObjectView From(NodeHealthState s) => s.NodeObjectDeletion is { } d
        ? new(d.Uid, s.HostBootId, d.At, d.Cause, d.ForgetAt)
        : new(s.NodeObjectUids.OrEmpty() is { IsEmpty: false } uids ? uids[^1] : "", s.HostBootId);
}

public sealed record NodeView(
    string Name,
    DateTime? LastUpdated,
    AgentSilenceView? AgentSilence,
    IReadOnlyList<ConditionView> Conditions,
    IReadOnlyList<MonitorView> Monitors,
    IReadOnlyList<FindingView> RecentFindings,
    IReadOnlyList<EventView> RecentEvents,
    NodeObjectView? NodeObject = null)
{
    /// <summary>Newest findings and events first.</summary>
    public static NodeView From(NodeHealthState s) => new(
        s.NodeName,
        s.LastUpdated,
        AgentSilenceView.From(s.AgentSilence),
        [.. s.Conditions.OrEmpty().Select(ConditionView.From)],
        [.. s.Monitors.OrEmpty().OrderBy(m => m.Condition).Select(MonitorView.From)],
        [.. s.RecentFindings.OrEmpty().Reverse().Select(FindingView.From)],
        [.. s.RecentEvents.OrEmpty().Reverse().Select(EventView.From)],
        NodeObjectView.From(s));
}

/// <summary>
/// Pool, zone, instance type, cordon and labels come from the Node object (null without Kubernetes);
/// <see cref="NodeObjectDeletedAt"/>: the Node was deleted then, and the node is listed until its history retention passes.
/// </summary>
public sealed record NodeSummaryView(
    string Name, DateTime? LastUpdated, IReadOnlyList<ConditionView> Conditions,
    string? Pool = null, string? Zone = null, string? InstanceType = null, bool? Cordoned = null, IReadOnlyDictionary<string, string>? Labels = null,
    DateTime? NodeObjectDeletedAt = null)
{
    public static NodeSummaryView From(NodeSummary s) =>
        new(s.NodeName, s.LastUpdated, [.. s.Conditions.OrEmpty().Select(ConditionView.From)], NodeObjectDeletedAt: s.NodeObjectDeletedAt);

    public static NodeSummaryView From(NodeSummary s, Kubernetes.Nodes.NodeFacts? facts) => facts is null
        ? From(s)
        : From(s) with { Pool = facts.Pool, Zone = facts.Zone, InstanceType = facts.InstanceType, Cordoned = facts.Cordoned, Labels = facts.Labels };
}

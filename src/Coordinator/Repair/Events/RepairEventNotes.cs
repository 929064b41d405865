using NodeHealth.Contracts.Repair;
using NodeHealth.Coordinator.Kubernetes.Events;

namespace NodeHealth.Coordinator.Repair.Events;

/// <summary>An Event to show on a Node: Normal or Warning, its reason (CamelCase, as Kubernetes writes them) and its note.</summary>
public sealed record RepairEventNote(string Type, string Reason, string Note);

/// <summary>
/// What a repair record looks like as an Event on its Node: decisions that start, deny or cannot repair (a Wait is
/// no news), an operator's approval, a repair's start, each step, and its end; and, on each node it holds or releases,
/// a zone's storm breaker tripping or closing and the operator's pause or resume. The note is cut to the API server's
/// 1 kB (bytes of UTF-8, as the API server counts).
/// </summary>
public static class RepairEventNotes
{
    public const string Action = "Repair";

    /// <summary>A record about a zone or the fleet is shown on at most this many of the nodes it holds or releases (the first by name).</summary>
    public const int MaxNodesPerRecord = 20;

    public static RepairEventNote? For(IRepairGovernorEvent recorded) => recorded switch
    {
        RepairDecisionRecorded { Verdict: "Start" } d => new("Normal", d.DryRun ? "RepairWouldStart" : "RepairDecided", EventOccurrences.Note($"{d.Action}: {d.Explanation}")),
        RepairDecisionRecorded { Verdict: "Deny" } d => new("Warning", "RepairDenied", EventOccurrences.Note($"{d.Action} denied ({d.Denial}): {d.Explanation}")),
        RepairDecisionRecorded { Verdict: "NoAction" } d => new("Warning", "RepairNoAction", EventOccurrences.Note(d.Explanation)),
        RepairApprovedByOperator a => new("Normal", "RepairApproved", EventOccurrences.Note($"{a.Action} for {a.Condition} approved by {a.By}{(a.Note is { Length: > 0 } note ? $": {note}" : "")}")),
        RepairStarted s => new("Warning", "RepairStarted", EventOccurrences.Note($"{s.Action} for {s.Condition} ({s.Reason}), repair {s.RepairId}")),
        RepairStepDone step => new("Normal", $"Repair{step.Step}", EventOccurrences.Note($"repair {step.RepairId}: {step.Detail}")),
        RepairEnded { Outcome: "Failed" } end => new("Warning", "RepairFailed", EventOccurrences.Note($"repair {end.RepairId}: {end.Detail}")),
        RepairEnded end => new("Normal", $"Repair{end.Outcome}", EventOccurrences.Note($"repair {end.RepairId}{(end.By is { Length: > 0 } by ? $" by {by}" : "")}: {end.Detail}")),
        RepairZoneTripped t => new("Warning", "RepairZonePaused", EventOccurrences.Note(
            $"new repairs in zone {t.Zone} are paused, its storm breaker tripped: {t.Cause}. It resumes after its cool-down without a storm, or by POST /api/repairs/zones/{t.Zone}/resume")),
        RepairZoneClosed c => new("Normal", "RepairZoneResumed", EventOccurrences.Note($"new repairs in zone {c.Zone} may start again: {c.Cause}")),
        RepairPausedByOperator p => new("Warning", "RepairPaused", EventOccurrences.Note(
            $"new repairs are paused by {p.By}{(p.Note is { Length: > 0 } note ? $": {note}" : "")}; repairs in flight go on")),
        RepairResumedByOperator r => new("Normal", "RepairResumed", EventOccurrences.Note($"new repairs may start again: resumed by {r.By}")),
        _ => null,
    };

    /// <summary>
    /// The note of a record about a zone or the fleet as shown on <paramref name="shown"/> of the <paramref name="concerned"/>
    /// unhealthy nodes it holds or releases, counting the rest; with none concerned it is shown on the coordinator and says so.
    /// </summary>
    public static RepairEventNote Spread(RepairEventNote note, int shown, int concerned) => note with
    {
        Note = EventOccurrences.Note(concerned == 0 ? $"{note.Note} (no unhealthy node is concerned)"
            : shown < concerned ? $"{note.Note} (shown on {shown} of the {concerned} unhealthy nodes concerned)"
            : note.Note),
    };
}

using NodeHealth.Contracts.Repair;
using NodeHealth.Coordinator.Kubernetes.Events;

namespace NodeHealth.Coordinator.Repair.Events;

/// <summary>An Event to show on a Node: Normal or Warning, its reason (CamelCase, as Kubernetes writes them) and its note.</summary>
public sealed record RepairEventNote(string Type, string Reason, string Note);

/// <summary>
/// What a repair record looks like as an Event on its Node: decisions that start, deny or cannot repair (a Wait is
/// no news), an operator's approval, a repair's start, each step, and its end. The note is cut to the API server's 1 kB
/// (bytes of UTF-8, as the API server counts).
/// </summary>
public static class RepairEventNotes
{
    public const string Action = "Repair";

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
        _ => null,
    };
}

using NodeHealth.Contracts.Repair;

namespace NodeHealth.Coordinator.Repair.Events;

/// <summary>An Event to show on a Node: Normal or Warning, its reason (CamelCase, as Kubernetes writes them) and its note.</summary>
public sealed record RepairEventNote(string Type, string Reason, string Note);

/// <summary>
/// What a repair record looks like as an Event on its Node: decisions that start, deny or cannot repair (a Wait is
/// no news), an operator's approval, a repair's start, each step, and its end. The note is cut to the API server's 1 kB.
/// </summary>
public static class RepairEventNotes
{
    public const string Action = "Repair";
    private const int MaxNoteLength = 1024;

    public static RepairEventNote? For(IRepairGovernorEvent recorded) => recorded switch
    {
        RepairDecisionRecorded { Verdict: "Start" } d => new("Normal", d.DryRun ? "RepairWouldStart" : "RepairDecided", Cut($"{d.Action}: {d.Explanation}")),
        RepairDecisionRecorded { Verdict: "Deny" } d => new("Warning", "RepairDenied", Cut($"{d.Action} denied ({d.Denial}): {d.Explanation}")),
        RepairDecisionRecorded { Verdict: "NoAction" } d => new("Warning", "RepairNoAction", Cut(d.Explanation)),
        RepairApprovedByOperator a => new("Normal", "RepairApproved", Cut($"{a.Action} for {a.Condition} approved by {a.By}{(a.Note is { Length: > 0 } note ? $": {note}" : "")}")),
        RepairStarted s => new("Warning", "RepairStarted", Cut($"{s.Action} for {s.Condition} ({s.Reason}), repair {s.RepairId}")),
        RepairStepDone step => new("Normal", $"Repair{step.Step}", Cut($"repair {step.RepairId}: {step.Detail}")),
        RepairEnded { Outcome: "Failed" } end => new("Warning", "RepairFailed", Cut($"repair {end.RepairId}: {end.Detail}")),
        RepairEnded end => new("Normal", $"Repair{end.Outcome}", Cut($"repair {end.RepairId}{(end.By is { Length: > 0 } by ? $" by {by}" : "")}: {end.Detail}")),
        _ => null,
    };

    private static string Cut(string note) => note.Length <= MaxNoteLength ? note : note[..(MaxNoteLength - 1)] + "…";
}

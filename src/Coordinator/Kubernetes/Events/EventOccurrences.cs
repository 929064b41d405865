using System.Collections.Immutable;
using System.Text;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Coordinator.Kubernetes.Events;

/// <summary>Something to record as a Kubernetes event about a node: reason = the condition type, note = "&lt;Reason&gt;: &lt;text&gt;" (as EKS writes them).</summary>
public sealed record Occurrence(string Type, string Reason, string Action, string Note, DateTime ObservedAt, long Count)
{
    public const int MaxNoteBytes = 1024;
}

/// <summary>
/// Which events a new state of the entity means, compared with the state before it:
/// Warning findings become Warning events, Info findings Normal ones, clearings Normal ones.
/// A Fatal finding gets no event of its own (the condition shows it): its condition turning False
/// gets one Warning event naming the reason, and repeats of it only count in the condition's fault.
/// The first state a new exporter sees is the baseline: its events were recorded by the incarnation before.
/// </summary>
public static class EventOccurrences
{
    public const string Detected = "Detected";
    public const string Cleared = "Cleared";
    public const string ConditionFalse = "ConditionFalse";

    public static ImmutableArray<Occurrence> Between(NodeHealthState? previous, NodeHealthState current)
    {
        if (previous is null)
            return [];
        var result = ImmutableArray.CreateBuilder<Occurrence>();
        foreach (var condition in current.Conditions.OrEmpty())
        {
            var before = previous.Conditions.OrEmpty().FirstOrDefault(c => c.Type == condition.Type);
            if (condition.Status == ConditionStatus.False && before?.Status != ConditionStatus.False && condition.ActiveFaults.OrEmpty().MinBy(f => f.Since) is { } first)
                result.Add(new Occurrence("Warning", condition.Type.ToString(), ConditionFalse, Note($"{first.Reason}: {first.Message}"), first.LastSeen, 1));
        }

        var earlier = previous.RecentEvents.OrEmpty();
        foreach (var e in current.RecentEvents.OrEmpty())
        {
            var seen = earlier.FirstOrDefault(p => p.Type == e.Type && p.Condition == e.Condition && p.Reason == e.Reason && p.Message == e.Message)?.Count ?? 0;
            if (e.Count <= seen || IsFatal(current, previous, e))
                continue;
            var action = e.Type == EventType.Normal && e.Message.StartsWith(e.Reason + " cleared: ", StringComparison.Ordinal) ? Cleared : Detected;
            result.Add(new Occurrence(e.Type == EventType.Warning ? "Warning" : "Normal", e.Condition.ToString(), action, Note(e.Message), e.LastTimestamp, e.Count - seen));
        }

        return result.ToImmutable();
    }

    /// <summary>A Warning-typed event whose reason holds its condition False is a Fatal finding's (Warning findings never do).</summary>
    private static bool IsFatal(NodeHealthState current, NodeHealthState previous, NodeEvent e) =>
        e.Type == EventType.Warning && new[] { current, previous }.Any(s =>
            s.Conditions.OrEmpty().Any(c => c.Type == e.Condition && c.ActiveFaults.OrEmpty().Any(f => f.Reason == e.Reason)));

    /// <summary>The API refuses notes over 1 kB; cut on a character boundary.</summary>
    public static string Note(string text)
    {
        if (Encoding.UTF8.GetByteCount(text) <= Occurrence.MaxNoteBytes)
            return text;
        var cut = text[..Math.Min(text.Length, Occurrence.MaxNoteBytes - 3)];
        while (Encoding.UTF8.GetByteCount(cut) > Occurrence.MaxNoteBytes - 3)
            cut = cut[..^1];
        if (cut.Length > 0 && char.IsHighSurrogate(cut[^1]))
            cut = cut[..^1];
        return cut + "…";
    }
}

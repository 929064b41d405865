using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Coordinator.History;

/// <summary>
/// One line of a node's timeline. <see cref="Kind"/>: finding, transition (a condition's status changed: <see cref="From"/>
/// → <see cref="To"/>), cleared (an active fault stopped holding its condition), adopted, agent (silent, back), boot,
/// node-object (seen, deleted, forgotten), command (a reboot sent to the agent, its answer), repair (started, a step, ended). <see cref="SequenceNr"/>: the journal
/// event it comes from (null for the governor's records).
/// </summary>
public sealed record TimelineEntry(
    DateTime At, string Kind, string? Condition, string? Reason, string? From, string? To, string Detail, long? SequenceNr, string? RepairId = null);

/// <summary>A node's timeline from its retained journal events (oldest first) and the repairs the governor remembers for it.</summary>
public static class NodeTimeline
{
    /// <summary>
    /// <paramref name="start"/>: the node's state before the first retained event (its snapshot at the trim point, or empty),
    /// so the first transition after a trim is a real one.
    /// </summary>
    public static List<TimelineEntry> Build(NodeHealthState start, IEnumerable<(long SequenceNr, INodeHealthEvent Event)> events, IEnumerable<RepairRunState> repairs)
    {
        var entries = new List<TimelineEntry>();
        var state = start;
        foreach (var (seq, e) in events)
        {
            var next = state.Apply(e);
            entries.AddRange(Of(seq, e));
            entries.AddRange(Transitions(seq, Utc(RecordedAt(e)), state, next));
            state = next;
        }

        foreach (var run in repairs)
            entries.AddRange(Of(run));
        return [.. entries.Select((entry, i) => (entry, i)).OrderBy(x => x.entry.At).ThenBy(x => x.i).Select(x => x.entry)];
    }

    private static IEnumerable<TimelineEntry> Of(long seq, INodeHealthEvent e) => e switch
    {
        FindingsRecorded f => f.Findings.OrEmpty().Select(finding => new TimelineEntry(Utc(finding.ObservedAt), "finding", finding.Condition.ToString(), finding.Reason,
            null, finding.Severity.ToString(), finding.Message, seq)),
        FaultsCleared c => c.Faults.OrEmpty().Select(fault => new TimelineEntry(Utc(c.RecordedAt), "cleared", fault.Condition.ToString(), fault.Reason, null, null, c.Cause, seq)),
        ConditionsAdopted a => a.Conditions.OrEmpty().Select(c => new TimelineEntry(Utc(a.RecordedAt), "adopted", c.Condition.ToString(), c.Reason, null, "False",
            $"adopted from the Node object: {c.Message}", seq)),
        AgentLeaseExpired x => [new(Utc(x.RecordedAt), "agent", null, null, null, null, $"agent silent since {Utc(x.LastHeardAt):o}, longer than its lease of {x.Lease}", seq)],
        AgentReturned r => [new(Utc(r.RecordedAt), "agent", null, null, null, null, "agent reporting again", seq)],
        HostBootRecorded b => [new(Utc(b.RecordedAt), "boot", null, null, null, null, $"boot id {b.HostBootId}", seq)],
        NodeObjectObserved o => [new(Utc(o.RecordedAt), "node-object", null, null, null, null, $"Node object {o.Uid} seen", seq)],
        NodeObjectDeleted d => [new(Utc(d.RecordedAt), "node-object", null, null, null, null, $"Node object {d.Uid} deleted ({d.Cause}); forgotten after {Utc(d.ForgetAt):o}", seq)],
        NodeForgotten n => [new(Utc(n.RecordedAt), "node-object", null, null, null, null, "forgotten: its Node stayed deleted for the history retention", seq)],
        AgentCommandRequested q => [new(Utc(q.RecordedAt), "command", null, null, null, q.Kind.ToString(), $"command {q.Id} sent to the agent", seq)],
        AgentCommandAnswered a => [new(Utc(a.RecordedAt), "command", null, null, null, a.Outcome.ToString(), $"command {a.Id}: {a.Detail}", seq)],
        _ => [],
    };

    /// <summary>Each condition whose status differs after the event, with the reason it shows now.</summary>
    private static IEnumerable<TimelineEntry> Transitions(long seq, DateTime at, NodeHealthState before, NodeHealthState after)
    {
        foreach (var now in after.Conditions.OrEmpty())
        {
            var was = before.Conditions.OrEmpty().FirstOrDefault(c => c.Type == now.Type);
            if (was is not null && was.Status == now.Status)
                continue;
            yield return new TimelineEntry(at, "transition", now.Type.ToString(), now.Reason, was?.Status.ToString(), now.Status.ToString(), now.Message, seq);
        }

        foreach (var gone in before.Conditions.OrEmpty().Where(c => after.Conditions.OrEmpty().All(a => a.Type != c.Type)))
            yield return new TimelineEntry(at, "transition", gone.Type.ToString(), gone.Reason, gone.Status.ToString(), null, "no longer published", seq);
    }

    private static IEnumerable<TimelineEntry> Of(RepairRunState run)
    {
        var s = run.Started;
        yield return new TimelineEntry(Utc(s.RecordedAt), "repair", s.Condition, s.Reason, null, "Started", $"{s.Action} for {s.Condition} ({s.Reason})", null, s.RepairId);
        foreach (var step in run.Steps.OrEmpty())
            yield return new TimelineEntry(Utc(step.RecordedAt), "repair", s.Condition, s.Reason, null, step.Step, step.Detail, null, s.RepairId);
        if (run.Ended is { } end)
            yield return new TimelineEntry(Utc(end.RecordedAt), "repair", s.Condition, s.Reason, null, end.Outcome,
                end.By is { Length: > 0 } by ? $"{end.Detail} (by {by})" : end.Detail, null, s.RepairId);
    }

    public static DateTime RecordedAt(INodeHealthEvent e) => e switch
    {
        FindingsRecorded x => x.RecordedAt,
        MonitorsReported x => x.RecordedAt,
        AgentLeaseExpired x => x.RecordedAt,
        AgentReturned x => x.RecordedAt,
        HostBootRecorded x => x.RecordedAt,
        FaultsCleared x => x.RecordedAt,
        ConditionsAdopted x => x.RecordedAt,
        NodeObjectObserved x => x.RecordedAt,
        NodeObjectDeleted x => x.RecordedAt,
        NodeForgotten x => x.RecordedAt,
        AgentCommandRequested x => x.RecordedAt,
        AgentCommandAnswered x => x.RecordedAt,
        _ => RecordedAtOf(e),
    };

    /// <summary>Events added later than this file: their RecordedAt by name, else unknown (DateTime.MinValue).</summary>
    private static DateTime RecordedAtOf(INodeHealthEvent e) =>
        e.GetType().GetProperty("RecordedAt")?.GetValue(e) is DateTime at ? at : DateTime.MinValue;

    public static DateTime Utc(DateTime at) => at.Kind == DateTimeKind.Utc ? at : DateTime.SpecifyKind(at, DateTimeKind.Utc);
}

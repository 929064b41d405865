using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Health;

/// <summary>
/// The NodeHealth entity's logic as pure functions: Decide turns a command into a reply and the
/// events to persist; Apply folds an event into the state (DESIGN §5 condition semantics).
/// Split by concern: delivery and faults here, conditions, quiet recovery and the agent lease beside it.
/// </summary>
public static partial class NodeHealthMachine
{
    public const int RecentFindingsKept = 100;
    public const int RecentEventsKept = 100;
    public const int DeliveryMarksKept = 32;

    /// <summary>
    /// Drops duplicates by (agent run, sequence) and restates what each new finding means from the
    /// coordinator's catalog, so the recorded event holds the meaning it was judged by.
    /// </summary>
    public static (BatchAck Reply, FindingsRecorded? Event) Decide(this NodeHealthState state, RecordFindings command, ReasonCatalog catalog, DateTime now)
    {
        var highest = state.DeliveryMarks.OrEmpty().FirstOrDefault(m => m.AgentBootId == command.AgentBootId)?.HighestSequence ?? 0;
        var accepted = ImmutableArray.CreateBuilder<Finding>();
        foreach (var finding in command.Findings.OrEmpty().OrderBy(f => f.Sequence))
        {
            if (finding.Sequence <= highest)
                continue;
            accepted.Add(ReasonAuthority.Interpret(catalog, finding));
            highest = finding.Sequence;
        }

        var duplicates = command.Findings.OrEmpty().Length - accepted.Count;
        var reply = new BatchAck(command.AgentBootId, highest, accepted.Count, duplicates);
        return accepted.Count == 0
            ? (reply, null)
            : (reply, new FindingsRecorded(state.NodeName, now, command.AgentBootId, accepted.ToImmutable()));
    }

    /// <summary>
    /// A report names the monitors the agent knows of at that moment, often not all of them (a hello
    /// right after an agent start): monitors it does not name keep what they last said.
    /// </summary>
    public static MonitorsReported? Decide(this NodeHealthState state, ReportMonitors command, DateTime now)
    {
        var merged = Merged(state.Monitors.OrEmpty(), command.Monitors.OrEmpty());
        return state.IsKnown && state.Monitors.OrEmpty().SameAs(merged)
            ? null
            : new MonitorsReported(state.NodeName, now, merged);
    }

    /// <summary>
    /// The agent connected and read the node's boot id: record it, and when it differs from the one
    /// recorded before (and was never seen before), the node rebooted and every fault that clears on reboot clears.
    /// </summary>
    public static ImmutableArray<INodeHealthEvent> Decide(this NodeHealthState state, ReportHostBoot command, DateTime now) =>
        DecideBoot(state, command.HostBootId, now, "");

    /// <summary>
    /// An operator clears one active fault, whatever its recovery mode; a verified repair clears what is still active of the
    /// condition it repaired from before it started (usually nothing after a reboot: the new boot cleared it; a fault that
    /// came back since is not what was repaired). Nothing to clear: nothing is recorded.
    /// </summary>
    public static FaultsCleared? Decide(this NodeHealthState state, ClearFault command, DateTime now)
    {
        var repaired = command.Reason.Length == 0 && command.Cause.Length > 0;
        ImmutableArray<ClearedFault> faults =
        [
            .. state.Conditions.OrEmpty().Where(c => c.Type == command.Condition).SelectMany(c => c.ActiveFaults.OrEmpty())
                .Where(f => repaired ? f.Since <= (command.RaisedBefore ?? DateTime.MaxValue) : f.Reason == command.Reason)
                .Select(f => new ClearedFault(command.Condition, f.Reason)),
        ];
        if (faults.IsEmpty)
            return null;
        var cause = command.Cause.Length > 0 ? command.Cause
            : command.Note.Length == 0 ? "cleared by an operator" : $"cleared by an operator: {command.Note}";
        return new FaultsCleared(state.NodeName, now, faults, cause);
    }

    private static ImmutableArray<ClearedFault> ActiveFaults(NodeHealthState state, Func<ActiveFault, bool> include) =>
    [
        .. state.Conditions.OrEmpty().SelectMany(c => c.ActiveFaults.OrEmpty().Where(include).Select(f => new ClearedFault(c.Type, f.Reason))),
    ];

    public static NodeHealthState Apply(this NodeHealthState state, INodeHealthEvent @event) => @event switch
    {
        FindingsRecorded e => state.ApplyFindings(e),
        MonitorsReported e => state.ApplyMonitors(e),
        AgentLeaseExpired e => state.Recomputed(new AgentSilence(e.LastHeardAt, e.Lease, e.RecordedAt), e.RecordedAt),
        AgentReturned e => state.Recomputed(silence: null, e.RecordedAt) with { AgentReturnedAt = e.RecordedAt },
        HostBootRecorded e => state.ApplyBoot(e),
        FaultsCleared e => state.ApplyCleared(e),
        ConditionsAdopted e => state.ApplyAdopted(e),
        NodeObjectObserved e => state.ApplyObserved(e),
        NodeObjectDeleted e => state.ApplyDeleted(e),
        NodeForgotten e => NodeHealthState.Empty(e.NodeName),
        AgentCommandRequested e => state.ApplyRequested(e),
        AgentCommandAnswered e => state.ApplyAnswered(e),
        _ => throw new ArgumentException($"NodeHealth cannot apply {@event.GetType().Name}"),
    };

    /// <summary>The state the fleet read model keeps of a node: everything but its recent findings and events.</summary>
    public static NodeHealthState WithoutHistory(this NodeHealthState state) =>
        state with { RecentFindings = [], RecentEvents = [], DeliveryMarks = [] };

    private static ImmutableArray<MonitorStatus> Merged(ImmutableArray<MonitorStatus> known, ImmutableArray<MonitorStatus> reported) =>
    [
        .. known.Where(k => reported.All(r => r.Condition != k.Condition)).Concat(reported).OrderBy(m => m.Condition),
    ];

    private static NodeHealthState ApplyMonitors(this NodeHealthState state, MonitorsReported e)
    {
        var monitors = e.Monitors.OrEmpty();
        return state with
        {
            Monitors = monitors,
            Conditions = Conditions(state.Conditions.OrEmpty(), monitors, state.AgentSilence, e.RecordedAt),
            LastUpdated = e.RecordedAt,
        };
    }

    private static NodeHealthState ApplyCleared(this NodeHealthState state, FaultsCleared e)
    {
        var cleared = e.Faults.OrEmpty();
        var conditions = state.Conditions.OrEmpty()
            .Select(c => c with { ActiveFaults = [.. c.ActiveFaults.OrEmpty().Where(f => !cleared.Contains(new ClearedFault(c.Type, f.Reason)))] })
            .ToImmutableArray();
        var events = state.RecentEvents.OrEmpty().ToList();
        foreach (var fault in cleared)
            events.Add(new NodeEvent(EventType.Normal, fault.Condition, fault.Reason, $"{fault.Reason} cleared: {e.Cause}", e.RecordedAt, e.RecordedAt, 1));
        return state with
        {
            Conditions = Conditions(conditions, state.Monitors.OrEmpty(), state.AgentSilence, e.RecordedAt),
            RecentEvents = Last([.. events], RecentEventsKept),
            LastUpdated = e.RecordedAt,
        };
    }

    private static NodeHealthState Recomputed(this NodeHealthState state, AgentSilence? silence, DateTime at) => state with
    {
        AgentSilence = silence,
        Conditions = Conditions(state.Conditions.OrEmpty(), state.Monitors.OrEmpty(), silence, at),
        LastUpdated = at,
    };

    private static NodeHealthState ApplyFindings(this NodeHealthState state, FindingsRecorded e)
    {
        var findings = e.Findings.OrEmpty();
        var events = state.RecentEvents.OrEmpty().ToList();
        var conditions = state.Conditions.OrEmpty().ToDictionary(c => c.Type);
        var faulted = new Dictionary<ConditionType, List<ActiveFault>>();

        foreach (var finding in findings)
        {
            RecordEvent(events, finding);
            if (finding.Severity != Severity.Fatal || IsFromAnEarlierBoot(state, finding) || IsAbsent(state, finding.Condition))
                continue;

            if (!faulted.TryGetValue(finding.Condition, out var faults))
                faulted[finding.Condition] = faults = conditions.TryGetValue(finding.Condition, out var c) ? [.. c.ActiveFaults.OrEmpty()] : [];
            var index = faults.FindIndex(f => f.Reason == finding.Reason);
            faults.Add(index < 0
                ? new ActiveFault(finding.Reason, finding.Message, e.RecordedAt, e.RecordedAt, finding.Occurrences(), finding.Recovery, finding.QuietFor, finding.Repair)
                : faults[index] with
                {
                    Message = finding.Message,
                    LastSeen = e.RecordedAt,
                    Count = faults[index].Count + finding.Occurrences(),
                    Recovery = finding.Recovery,
                    QuietFor = finding.QuietFor,
                    Repair = finding.Repair,
                });
            if (index >= 0)
                faults.RemoveAt(index);
        }

        foreach (var (type, faults) in faulted)
        {
            conditions[type] = conditions.TryGetValue(type, out var existing)
                ? existing with { ActiveFaults = [.. faults] }
                : new ConditionState(type, ConditionStatus.Unknown, "", "", e.RecordedAt, [.. faults]);
        }

        return state with
        {
            Conditions = Conditions([.. conditions.Values], state.Monitors.OrEmpty(), state.AgentSilence, e.RecordedAt),
            RecentFindings = Last(state.RecentFindings.OrEmpty().AddRange(findings), RecentFindingsKept),
            RecentEvents = Last([.. events], RecentEventsKept),
            DeliveryMarks = Marked(state.DeliveryMarks.OrEmpty(), e.AgentBootId, findings.Max(f => f.Sequence)),
            LastUpdated = e.RecordedAt,
        };
    }

    /// <summary>
    /// A fault that clears on reboot, seen before the node's latest reboot (resent from the agent's
    /// spool after it), is history: it is kept as a finding and an event but holds nothing.
    /// </summary>
    private static bool IsFromAnEarlierBoot(NodeHealthState state, Finding finding) =>
        finding.Recovery == RecoveryMode.Reboot && finding.HostBootId.Length > 0 && state.HostBootId.Length > 0 && finding.HostBootId != state.HostBootId;

    /// <summary>
    /// The agent says the condition's hardware is not on the node (an accelerator line on a node without one): the
    /// finding is history and an event, but sets no condition. A fault held before stays: absence is no recovery.
    /// </summary>
    private static bool IsAbsent(NodeHealthState state, ConditionType condition) =>
        state.Monitors.OrEmpty().Any(m => m.Condition == condition && m.State == MonitorState.Absent);

    /// <summary>Repeats of the same condition, reason and message fold into one event with a count (each finding adds the occurrences it stands for), as a Kubernetes event series.</summary>
    private static void RecordEvent(List<NodeEvent> events, Finding finding)
    {
        var type = finding.Severity == Severity.Info ? EventType.Normal : EventType.Warning;
        var message = $"{finding.Reason}: {finding.Message}";
        var index = events.FindIndex(ev => ev.Type == type && ev.Condition == finding.Condition && ev.Reason == finding.Reason && ev.Message == message);
        if (index < 0)
        {
            events.Add(new NodeEvent(type, finding.Condition, finding.Reason, message, finding.ObservedAt, finding.ObservedAt, finding.Occurrences()));
            return;
        }

        var folded = events[index] with { LastTimestamp = finding.ObservedAt, Count = events[index].Count + finding.Occurrences() };
        events.RemoveAt(index);
        events.Add(folded);
    }

    private static ImmutableArray<DeliveryMark> Marked(ImmutableArray<DeliveryMark> marks, string bootId, long sequence)
    {
        var others = marks.Where(m => m.AgentBootId != bootId);
        var highest = Math.Max(sequence, marks.FirstOrDefault(m => m.AgentBootId == bootId)?.HighestSequence ?? 0);
        return Last([.. others, new DeliveryMark(bootId, highest)], DeliveryMarksKept);
    }

    private static ImmutableArray<T> Last<T>(ImmutableArray<T> items, int count) =>
        items.Length <= count ? items : items.RemoveRange(0, items.Length - count);
}

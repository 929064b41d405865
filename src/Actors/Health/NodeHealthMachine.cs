using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Health;

/// <summary>
/// The NodeHealth entity's logic as pure functions: Decide turns a command into a reply and the
/// events to persist; Apply folds an event into the state (DESIGN §5 condition semantics).
/// </summary>
public static class NodeHealthMachine
{
    public const int RecentFindingsKept = 100;
    public const int RecentEventsKept = 100;
    public const int DeliveryMarksKept = 32;
    public const int MaxConditionMessageLength = 1024;

    /// <summary>Reason of every monitored condition (not held False by a fault) while the node's agent is silent past its lease.</summary>
    public const string AgentNotReportingReason = "AgentNotReporting";

    public static (BatchAck Reply, FindingsRecorded? Event) Decide(this NodeHealthState state, RecordFindings command, DateTime now)
    {
        var highest = state.DeliveryMarks.OrEmpty().FirstOrDefault(m => m.AgentBootId == command.AgentBootId)?.HighestSequence ?? 0;
        var accepted = ImmutableArray.CreateBuilder<Finding>();
        foreach (var finding in command.Findings.OrEmpty().OrderBy(f => f.Sequence))
        {
            if (finding.Sequence <= highest)
                continue;
            accepted.Add(finding);
            highest = finding.Sequence;
        }

        var duplicates = command.Findings.OrEmpty().Length - accepted.Count;
        var reply = new BatchAck(command.AgentBootId, highest, accepted.Count, duplicates);
        return accepted.Count == 0
            ? (reply, null)
            : (reply, new FindingsRecorded(state.NodeName, now, command.AgentBootId, accepted.ToImmutable()));
    }

    public static MonitorsReported? Decide(this NodeHealthState state, ReportMonitors command, DateTime now) =>
        state.IsKnown && state.Monitors.OrEmpty().SameAs(command.Monitors.OrEmpty())
            ? null
            : new MonitorsReported(state.NodeName, now, command.Monitors.OrEmpty());

    /// <summary>
    /// The agent connected and read the node's boot id: record it, and when it differs from the one
    /// recorded before, the node rebooted and every fault that clears on reboot clears.
    /// </summary>
    public static ImmutableArray<INodeHealthEvent> Decide(this NodeHealthState state, ReportHostBoot command, DateTime now)
    {
        if (command.HostBootId.Length == 0 || command.HostBootId == state.HostBootId)
            return [];
        var recorded = new HostBootRecorded(state.NodeName, now, command.HostBootId);
        var cleared = state.HostBootId.Length == 0 ? [] : ActiveFaults(state, f => f.Recovery == RecoveryMode.Reboot);
        return cleared.IsEmpty
            ? [recorded]
            : [recorded, new FaultsCleared(state.NodeName, now, cleared, $"the node rebooted (boot id {state.HostBootId} → {command.HostBootId})")];
    }

    /// <summary>An operator clears one active fault, whatever its recovery mode.</summary>
    public static FaultsCleared? Decide(this NodeHealthState state, ClearFault command, DateTime now)
    {
        var fault = ActiveFaults(state, _ => true).FirstOrDefault(f => f.Condition == command.Condition && f.Reason == command.Reason);
        return fault is null
            ? null
            : new FaultsCleared(state.NodeName, now, [fault], command.Note.Length == 0 ? "cleared by an operator" : $"cleared by an operator: {command.Note}");
    }

    /// <summary>
    /// Faults of recovery mode quiet that have not recurred for their quiet period clear, one event each.
    /// Not while the agent is silent: nobody was watching for a recurrence.
    /// </summary>
    public static ImmutableArray<FaultsCleared> DecideQuiet(this NodeHealthState state, DateTime now) =>
        state.AgentSilence is not null
            ? []
            : [
                .. from condition in state.Conditions.OrEmpty()
                   from fault in condition.ActiveFaults.OrEmpty()
                   where fault.Recovery == RecoveryMode.Quiet && fault.LastSeen + fault.QuietFor <= now
                   select new FaultsCleared(state.NodeName, now, [new ClearedFault(condition.Type, fault.Reason)],
                       $"no recurrence for {fault.QuietFor} since {fault.LastSeen:yyyy-MM-dd'T'HH:mm:ss'Z'}"),
            ];

    /// <summary>When the next quiet fault is due to clear, if any.</summary>
    public static DateTime? NextQuietDeadline(this NodeHealthState state) =>
        state.Conditions.OrEmpty()
            .SelectMany(c => c.ActiveFaults.OrEmpty())
            .Where(f => f.Recovery == RecoveryMode.Quiet)
            .Select(f => (DateTime?)(f.LastSeen + f.QuietFor))
            .Min();

    private static ImmutableArray<ClearedFault> ActiveFaults(NodeHealthState state, Func<ActiveFault, bool> include) =>
    [
        .. state.Conditions.OrEmpty().SelectMany(c => c.ActiveFaults.OrEmpty().Where(include).Select(f => new ClearedFault(c.Type, f.Reason))),
    ];

    /// <summary>The agent was last heard at <paramref name="lastHeard"/>: has its lease run out?</summary>
    public static AgentLeaseExpired? DecideLease(this NodeHealthState state, DateTime lastHeard, TimeSpan lease, DateTime now) =>
        state.IsKnown && state.AgentSilence is null && now - lastHeard >= lease
            ? new AgentLeaseExpired(state.NodeName, now, lastHeard, lease)
            : null;

    /// <summary>The agent was just heard from: ends a silence, if there was one.</summary>
    public static AgentReturned? DecideAgentHeard(this NodeHealthState state, DateTime now) =>
        state.AgentSilence is null ? null : new AgentReturned(state.NodeName, now);

    public static NodeHealthState Apply(this NodeHealthState state, INodeHealthEvent @event) => @event switch
    {
        FindingsRecorded e => state.ApplyFindings(e),
        MonitorsReported e => state.ApplyMonitors(e),
        AgentLeaseExpired e => state.Recomputed(new AgentSilence(e.LastHeardAt, e.Lease, e.RecordedAt), e.RecordedAt),
        AgentReturned e => state.Recomputed(silence: null, e.RecordedAt),
        HostBootRecorded e => state with { HostBootId = e.HostBootId, LastUpdated = e.RecordedAt },
        FaultsCleared e => state.ApplyCleared(e),
        _ => throw new ArgumentException($"NodeHealth cannot apply {@event.GetType().Name}"),
    };

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
            if (finding.Severity != Severity.Fatal || IsFromAnEarlierBoot(state, finding))
                continue;

            if (!faulted.TryGetValue(finding.Condition, out var faults))
                faulted[finding.Condition] = faults = conditions.TryGetValue(finding.Condition, out var c) ? [.. c.ActiveFaults.OrEmpty()] : [];
            var index = faults.FindIndex(f => f.Reason == finding.Reason);
            faults.Add(index < 0
                ? new ActiveFault(finding.Reason, finding.Message, e.RecordedAt, e.RecordedAt, 1, finding.Recovery, finding.QuietFor)
                : faults[index] with
                {
                    Message = finding.Message,
                    LastSeen = e.RecordedAt,
                    Count = faults[index].Count + 1,
                    Recovery = finding.Recovery,
                    QuietFor = finding.QuietFor,
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
    /// Recomputes every condition from its faults, its monitor and the agent's lease; the transition
    /// time moves only when status flips. A silent agent makes what it vouched for Unknown, but a
    /// fault it reported stays: silence is no evidence of recovery.
    /// </summary>
    private static ImmutableArray<ConditionState> Conditions(
        ImmutableArray<ConditionState> current, ImmutableArray<MonitorStatus> monitors, AgentSilence? silence, DateTime at)
    {
        var result = ImmutableArray.CreateBuilder<ConditionState>();
        foreach (var type in ConditionTypes.All)
        {
            var previous = current.FirstOrDefault(c => c.Type == type);
            var faults = previous?.ActiveFaults.OrEmpty() ?? [];
            var monitor = monitors.FirstOrDefault(m => m.Condition == type);

            (ConditionStatus Status, string Reason, string Message)? desired = (faults, monitor) switch
            {
                ({ IsEmpty: false }, _) => (ConditionStatus.False, faults.MinBy(f => f.Since)!.Reason, FaultMessage(faults)),
                (_, { State: MonitorState.Active or MonitorState.Failed }) when silence is not null =>
                    (ConditionStatus.Unknown, AgentNotReportingReason, SilenceMessage(silence)),
                (_, { State: MonitorState.Active }) => (ConditionStatus.True, monitor.Reason, monitor.Detail),
                (_, { State: MonitorState.Failed }) => (ConditionStatus.Unknown, monitor.Reason, monitor.Detail),
                _ => null, // Not monitored: publish nothing rather than a false "healthy".
            };
            if (desired is not { } d)
                continue;

            var transitioned = previous is null || previous.Status != d.Status || previous.Reason == "";
            result.Add(new ConditionState(type, d.Status, d.Reason, d.Message,
                transitioned ? at : previous!.LastTransitionTime, faults));
        }

        return result.ToImmutable();
    }

    private static string SilenceMessage(AgentSilence silence) =>
        $"The node-health agent has not reported since {silence.LastHeardAt:yyyy-MM-dd'T'HH:mm:ss'Z'} (lease {silence.Lease.TotalSeconds:0.#}s)";

    private static string FaultMessage(ImmutableArray<ActiveFault> faults)
    {
        var message = string.Join("; ", faults.OrderBy(f => f.Since).Select(f => $"{f.Reason}: {f.Message}"));
        return message.Length <= MaxConditionMessageLength ? message : message[..(MaxConditionMessageLength - 1)] + "…";
    }

    /// <summary>Repeats of the same condition, reason and message fold into one event with a count, as a Kubernetes event series.</summary>
    private static void RecordEvent(List<NodeEvent> events, Finding finding)
    {
        var type = finding.Severity == Severity.Info ? EventType.Normal : EventType.Warning;
        var message = $"{finding.Reason}: {finding.Message}";
        var index = events.FindIndex(ev => ev.Type == type && ev.Condition == finding.Condition && ev.Reason == finding.Reason && ev.Message == message);
        if (index < 0)
        {
            events.Add(new NodeEvent(type, finding.Condition, finding.Reason, message, finding.ObservedAt, finding.ObservedAt, 1));
            return;
        }

        var folded = events[index] with { LastTimestamp = finding.ObservedAt, Count = events[index].Count + 1 };
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

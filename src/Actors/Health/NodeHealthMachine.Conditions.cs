using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Health;

/// <summary>How the five conditions follow from faults, monitors and the agent's lease.</summary>
public static partial class NodeHealthMachine
{
    public const int MaxConditionMessageLength = 1024;

    /// <summary>Reason of every monitored condition (not held False by a fault) while the node's agent is silent past its lease.</summary>
    public const string AgentNotReportingReason = "AgentNotReporting";

    /// <summary>
    /// Recomputes every condition from its faults, its monitor and the agent's lease; the transition
    /// time moves only when status flips. A silent agent makes what it vouched for Unknown, but a
    /// fault it reported stays: silence is no evidence of recovery. A monitor that is starting
    /// keeps its condition exactly as it was.
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
                (_, { State: MonitorState.Active or MonitorState.Failed or MonitorState.Starting }) when silence is not null =>
                    (ConditionStatus.Unknown, AgentNotReportingReason, SilenceMessage(silence)),
                (_, { State: MonitorState.Active }) => (ConditionStatus.True, monitor.Reason, monitor.Detail),
                (_, { State: MonitorState.Failed }) => (ConditionStatus.Unknown, monitor.Reason, monitor.Detail),
                (_, { State: MonitorState.Starting }) => AsItWas(previous),
                _ => null, // Not monitored: publish nothing rather than a false "healthy".
            };
            if (desired is not { } d)
                continue;

            var transitioned = previous is null || previous.Status != d.Status || previous.Reason == "";
            result.Add(new ConditionState(type, d.Status, d.Reason, d.Message,
                transitioned ? WholeSeconds(at) : previous!.LastTransitionTime, faults));
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// What a starting monitor shows: the condition as it was. False without a fault left (its faults
    /// cleared while the monitor was starting) is not "as it was": the monitor has yet to vouch, so Unknown.
    /// </summary>
    private static (ConditionStatus, string, string)? AsItWas(ConditionState? previous) => previous switch
    {
        null => null,
        { Status: ConditionStatus.False } => (ConditionStatus.Unknown, MonitorStatuses.StartingReason, "The monitor is starting and has not read its sources yet"),
        _ => (previous.Status, previous.Reason, previous.Message),
    };

    /// <summary>Kubernetes keeps condition times in whole seconds: ours are too, so the API and the Node object show the same time.</summary>
    private static DateTime WholeSeconds(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, at.Kind);

    private static string SilenceMessage(AgentSilence silence) =>
        $"The node-health agent has not reported since {silence.LastHeardAt:yyyy-MM-dd'T'HH:mm:ss'Z'} (lease {silence.Lease.TotalSeconds:0.#}s)";

    private static string FaultMessage(ImmutableArray<ActiveFault> faults)
    {
        var message = string.Join("; ", faults.OrderBy(f => f.Since).Select(f => $"{f.Reason}: {f.Message}"));
        return message.Length <= MaxConditionMessageLength ? message : message[..(MaxConditionMessageLength - 1)] + "…";
    }
}

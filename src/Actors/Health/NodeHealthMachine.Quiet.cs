using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Health;

/// <summary>Quiet recovery: a log-derived fault clears after its quiet period of watched time without recurrence.</summary>
public static partial class NodeHealthMachine
{
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
                   where QuietDeadline(state, fault) <= now
                   select new FaultsCleared(state.NodeName, now, [new ClearedFault(condition.Type, fault.Reason)],
                       $"no recurrence for {fault.QuietFor} since {QuietSince(state, fault):yyyy-MM-dd'T'HH:mm:ss'Z'}"),
            ];

    /// <summary>When the next quiet fault is due to clear; none while the agent is silent (its return reschedules).</summary>
    public static DateTime? NextQuietDeadline(this NodeHealthState state) =>
        state.AgentSilence is not null
            ? null
            : state.Conditions.OrEmpty()
                .SelectMany(c => c.ActiveFaults.OrEmpty())
                .Select(f => QuietDeadline(state, f))
                .Min();

    private static DateTime? QuietDeadline(NodeHealthState state, ActiveFault fault) =>
        fault.Recovery == RecoveryMode.Quiet ? QuietSince(state, fault) + fault.QuietFor : null;

    /// <summary>Quiet time counts from the last occurrence, or from the agent's return when it was silent since.</summary>
    private static DateTime QuietSince(NodeHealthState state, ActiveFault fault) =>
        state.AgentReturnedAt is { } returned && returned > fault.LastSeen ? returned : fault.LastSeen;
}

using System.Collections.Immutable;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Uplink;

/// <summary>
/// Several components (a log source, a probe) may watch one condition; the coordinator hears one status
/// per condition: the worst of its components' last statuses, Absent &gt; Failed &gt; Starting &gt; Active &gt; Inactive.
/// A condition that depends on hardware has a <see cref="PresenceComponent"/>: its Absent hides the condition
/// whatever the others say, and among Active statuses its ready reason (the hardware's) is the one shown.
/// </summary>
public static class MonitorStatusBoard
{
    /// <summary>The component that says whether the condition's hardware is on the node (the accelerator monitor).</summary>
    public const string PresenceComponent = "presence";

    /// <summary>Per condition, the worst status; ties go to the presence component, then the first in ordinal order, so the answer is stable.</summary>
    public static ImmutableArray<MonitorStatus> Worst(IEnumerable<KeyValuePair<(string Component, ConditionType Condition), MonitorStatus>> statuses) =>
    [
        .. statuses
            .GroupBy(s => s.Key.Condition)
            .OrderBy(g => g.Key)
            .Select(g => g
                .OrderByDescending(s => Rank(s.Value.State))
                .ThenBy(s => s.Key.Component == PresenceComponent ? 0 : 1)
                .ThenBy(s => s.Key.Component, StringComparer.Ordinal)
                .First().Value),
    ];

    /// <summary>How much a state says is wrong: absent hardware makes the rest moot; a component that cannot see outweighs one still starting, which outweighs one that sees.</summary>
    public static int Rank(MonitorState state) => state switch
    {
        MonitorState.Absent => 5,
        MonitorState.Failed => 4,
        MonitorState.Starting => 3,
        MonitorState.Active => 2,
        MonitorState.Inactive => 1,
        _ => 0,
    };
}

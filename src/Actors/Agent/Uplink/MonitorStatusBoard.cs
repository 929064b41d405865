using System.Collections.Immutable;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Uplink;

/// <summary>
/// Several components (a log source, a probe) may watch one condition; the coordinator hears one status
/// per condition: the worst of its components' last statuses, Failed &gt; Starting &gt; Active &gt; Inactive.
/// </summary>
public static class MonitorStatusBoard
{
    /// <summary>Per condition, the worst status; ties go to the first component in ordinal order, so the answer is stable.</summary>
    public static ImmutableArray<MonitorStatus> Worst(IEnumerable<KeyValuePair<(string Component, ConditionType Condition), MonitorStatus>> statuses) =>
    [
        .. statuses
            .GroupBy(s => s.Key.Condition)
            .OrderBy(g => g.Key)
            .Select(g => g
                .OrderByDescending(s => Rank(s.Value.State))
                .ThenBy(s => s.Key.Component, StringComparer.Ordinal)
                .First().Value),
    ];

    /// <summary>How much a state says is wrong: a component that cannot see outweighs one still starting, which outweighs one that sees.</summary>
    public static int Rank(MonitorState state) => state switch
    {
        MonitorState.Failed => 4,
        MonitorState.Starting => 3,
        MonitorState.Active => 2,
        MonitorState.Inactive => 1,
        _ => 0,
    };
}

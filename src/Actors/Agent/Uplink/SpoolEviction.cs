using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Uplink;

/// <summary>
/// Which findings a full spool gives up: Info first, then Warning, a Fatal only when nothing else is
/// left, oldest first within a severity — a lost Fatal can leave a broken node looking healthy.
/// </summary>
public static class SpoolEviction
{
    public static IReadOnlyList<Finding> Victims(IReadOnlyList<Finding> oldestFirst, int capacity)
    {
        var excess = oldestFirst.Count - capacity;
        if (excess <= 0)
            return [];
        return oldestFirst
            .Select((finding, age) => (finding, age))
            .OrderBy(f => Rank(f.finding.Severity))
            .ThenBy(f => f.age)
            .Take(excess)
            .Select(f => f.finding)
            .ToList();
    }

    private static int Rank(Severity severity) => severity switch
    {
        Severity.Fatal => 2,
        Severity.Warning => 1,
        _ => 0,
    };
}

using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Uplink;

/// <summary>
/// Which deliveries a full spool gives up: Info first, then Warning, then probe recoveries, a Fatal only
/// when nothing else is left, oldest first within a rank — a lost Fatal can leave a broken node looking
/// healthy, a lost recovery only leaves a repaired one cordoned.
/// </summary>
public static class SpoolEviction
{
    public static IReadOnlyList<Spooled> Victims(IReadOnlyList<Spooled> oldestFirst, int capacity)
    {
        var excess = oldestFirst.Count - capacity;
        if (excess <= 0)
            return [];
        return oldestFirst
            .Select((item, age) => (item, age))
            .OrderBy(f => Rank(f.item))
            .ThenBy(f => f.age)
            .Take(excess)
            .Select(f => f.item)
            .ToList();
    }

    private static int Rank(Spooled item) => item.Finding?.Severity switch
    {
        null => 2,
        Severity.Fatal => 3,
        Severity.Warning => 1,
        _ => 0,
    };
}

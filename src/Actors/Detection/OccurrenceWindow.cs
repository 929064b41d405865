using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection;

/// <summary>
/// The one debouncing primitive: a rule with threshold N within W fires on the N-th match inside
/// a sliding window W, then starts counting afresh. Keyed by reason and entity.
/// </summary>
public sealed class OccurrenceWindow
{
    private readonly Dictionary<(string Reason, string? Entity), Queue<DateTime>> _seen = [];

    public bool ShouldFire(ReasonRule rule, string? entity, DateTime at)
    {
        var threshold = rule.Threshold;
        if (threshold.Count <= 1)
            return true;

        var key = (rule.Reason, entity);
        if (!_seen.TryGetValue(key, out var times))
            _seen[key] = times = new Queue<DateTime>();

        while (times.Count > 0 && at - times.Peek() > threshold.Window)
            times.Dequeue();
        times.Enqueue(at);

        if (times.Count < threshold.Count)
            return false;
        _seen.Remove(key);
        return true;
    }
}

using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection;

/// <summary>
/// The one debouncing primitive: a rule with threshold N within W fires on the N-th match inside
/// a sliding window W, then starts counting afresh. Keyed by condition, reason and entity (the engine gives a GPU's
/// bus id, <see cref="Accelerators.GpuIdentities.KeyOf"/>, so its count holds when its UUID becomes known); at most
/// <see cref="MaxKeys"/> keys are tracked (entities come from log text), the least recently seen go first.
/// </summary>
public sealed class OccurrenceWindow
{
    public const int MaxKeys = 4096;
    private readonly Dictionary<(ConditionType Condition, string Reason, string? Entity), Queue<DateTime>> _seen = [];

    public int TrackedKeys => _seen.Count;

    public bool ShouldFire(ReasonRule rule, string? entity, DateTime at)
    {
        var threshold = rule.Threshold;
        if (threshold.Count <= 1)
            return true;

        var key = (rule.Condition, rule.Reason, entity);
        if (!_seen.TryGetValue(key, out var times))
        {
            if (_seen.Count >= MaxKeys)
                EvictLeastRecent();
            _seen[key] = times = new Queue<DateTime>();
        }

        // A clock that went back by more than the window is another stream (a replay, a reboot with a wrong clock): start afresh.
        if (times.Count > 0 && times.Last() - at > threshold.Window)
            times.Clear();
        while (times.Count > 0 && at - times.Peek() > threshold.Window)
            times.Dequeue();
        times.Enqueue(at);

        if (times.Count < threshold.Count)
            return false;
        _seen.Remove(key);
        return true;
    }

    /// <summary>Drops the quarter of keys seen least recently: a storm of distinct entities costs amortised O(log n) per key.</summary>
    private void EvictLeastRecent()
    {
        foreach (var key in _seen.OrderBy(pair => pair.Value.Count == 0 ? DateTime.MinValue : pair.Value.Last()).Take(MaxKeys / 4).Select(pair => pair.Key).ToList())
            _seen.Remove(key);
    }
}

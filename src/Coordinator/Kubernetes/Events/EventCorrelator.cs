namespace NodeHealth.Coordinator.Kubernetes.Events;

/// <summary>
/// client-go's event rules for one node (tools/events and the record correlator): the first
/// occurrence creates an event, the second turns it into a series at once, later ones are counted
/// and sent when the series is refreshed or finishes (quiet for <see cref="FinishAfter"/>); after
/// that the next occurrence starts a new event. A token bucket per node (burst 25, one token per
/// 5 minutes) caps what a flapping node can write; what it refuses is dropped, as client-go does.
/// </summary>
public sealed class EventCorrelator(EventCorrelatorSettings settings, DateTime start)
{
    private readonly Dictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);
    private double _tokens = settings.SpamBurst;
    private DateTime _refilledAt = start;

    public long Dropped { get; private set; }

    public IReadOnlyList<EventIntent> Observe(Occurrence occurrence, DateTime now)
    {
        var key = $"{occurrence.Type}|{occurrence.Reason}|{occurrence.Action}|{occurrence.Note}";
        if (_tracked.TryGetValue(key, out var tracked) && now - tracked.LastActive <= settings.FinishAfter)
        {
            tracked.Count += occurrence.Count;
            tracked.LastActive = now;
            tracked.LastObserved = Max(tracked.LastObserved, occurrence.ObservedAt);
            // The second occurrence makes the event a series straight away; later ones wait for a refresh.
            return tracked is { Name: not null, SentCount: 1 } && TakeToken(now) ? [Patch(key, tracked, now)] : [];
        }

        if (!TakeToken(now))
        {
            Dropped++;
            return [];
        }

        _tracked[key] = new Tracked(occurrence) { Count = occurrence.Count, LastObserved = occurrence.ObservedAt, LastActive = now, SentCount = occurrence.Count, LastSent = now };
        return [new CreateEvent(key, occurrence, occurrence.Count, occurrence.ObservedAt)];
    }

    /// <summary>Series due for a refresh or finishing get their count written; finished, written ones are forgotten.</summary>
    public IReadOnlyList<EventIntent> Tick(DateTime now)
    {
        var intents = new List<EventIntent>();
        foreach (var (key, tracked) in _tracked.ToList())
        {
            var finished = now - tracked.LastActive > settings.FinishAfter;
            if (tracked.Name is not null && tracked.Count > tracked.SentCount && (finished || now - tracked.LastSent >= settings.RefreshEvery) && TakeToken(now))
                intents.Add(Patch(key, tracked, now));
            else if (finished && tracked.Count == tracked.SentCount)
                _tracked.Remove(key);
        }

        return intents;
    }

    public void Created(string key, string name)
    {
        if (_tracked.TryGetValue(key, out var tracked))
            tracked.Name = name;
    }

    /// <summary>The series' event is gone (expired on the server): the next write creates it again.</summary>
    public CreateEvent? Recreate(string key)
    {
        if (!_tracked.TryGetValue(key, out var tracked))
            return null;
        tracked.Name = null;
        tracked.SentCount = tracked.Count;
        return new CreateEvent(key, tracked.First, tracked.Count, tracked.LastObserved);
    }

    /// <summary>A write that could not be made: forget the event so the next occurrence starts afresh.</summary>
    public void Forget(string key) => _tracked.Remove(key);

    private PatchSeries Patch(string key, Tracked tracked, DateTime now)
    {
        tracked.SentCount = tracked.Count;
        tracked.LastSent = now;
        return new PatchSeries(key, tracked.Name!, tracked.Count, tracked.LastObserved);
    }

    private bool TakeToken(DateTime now)
    {
        _tokens = Math.Min(settings.SpamBurst, _tokens + (now - _refilledAt) / settings.SpamRefillEvery);
        _refilledAt = now;
        if (_tokens < 1)
            return false;
        _tokens -= 1;
        return true;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private sealed class Tracked(Occurrence first)
    {
        public Occurrence First { get; } = first;
        public string? Name { get; set; }
        public long Count { get; set; }
        public long SentCount { get; set; }
        /// <summary>When the finding last said it happened (the series' lastObservedTime).</summary>
        public DateTime LastObserved { get; set; }

        /// <summary>When this recorder last saw it: the series finishes after a quiet period by this clock.</summary>
        public DateTime LastActive { get; set; }
        public DateTime LastSent { get; set; }
    }
}

public sealed record EventCorrelatorSettings
{
    public static readonly EventCorrelatorSettings ClientGo = new();

    public TimeSpan FinishAfter { get; init; } = TimeSpan.FromMinutes(6);
    public TimeSpan RefreshEvery { get; init; } = TimeSpan.FromMinutes(30);
    public int SpamBurst { get; init; } = 25;
    public TimeSpan SpamRefillEvery { get; init; } = TimeSpan.FromMinutes(5);
}

public abstract record EventIntent(string Key);

/// <summary>A new event object; a series from the start when it stands for several occurrences.</summary>
public sealed record CreateEvent(string Key, Occurrence First, long Count, DateTime LastObserved) : EventIntent(Key);

public sealed record PatchSeries(string Key, string Name, long Count, DateTime LastObserved) : EventIntent(Key);

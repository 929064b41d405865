namespace NodeHealth.Coordinator.Security.Agents;

/// <summary>
/// TokenReview answers kept briefly, keyed by a hash of the token: an accepted token for a minute (never past
/// its own expiry), a refused one for a few seconds (a misconfigured agent retrying does not hammer the API
/// server, and a token that becomes valid is soon accepted), an unavailable answer not at all. Bounded: when
/// full, expired answers go first, then the ones that would expire soonest.
/// </summary>
public sealed class ReviewCache(TimeProvider clock, int capacity = ReviewCache.DefaultCapacity)
{
    /// <summary>Room for every agent of a large fleet (the ingest benchmark's 5,000) twice over.</summary>
    public const int DefaultCapacity = 10_000;

    public static readonly TimeSpan AcceptedFor = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan RefusedFor = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, (ReviewOutcome Outcome, DateTimeOffset Until)> _answers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
                return _answers.Count;
        }
    }

    /// <summary>The answer kept for <paramref name="key"/>, or null when there is none still fresh.</summary>
    public ReviewOutcome? Find(string key)
    {
        lock (_gate)
        {
            if (!_answers.TryGetValue(key, out var kept))
                return null;
            if (kept.Until > clock.GetUtcNow())
                return kept.Outcome;
            _answers.Remove(key);
            return null;
        }
    }

    public void Keep(string key, ReviewOutcome outcome)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset until = outcome switch
        {
            ReviewAccepted { Identity.ExpiresAt: { } expires } when expires < now + AcceptedFor => expires,
            ReviewAccepted => now + AcceptedFor,
            ReviewRefused => now + RefusedFor,
            _ => now,
        };
        if (until <= now)
            return;
        lock (_gate)
        {
            if (_answers.Count >= capacity && !_answers.ContainsKey(key))
                MakeRoom(now);
            _answers[key] = (outcome, until);
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var stale in _answers.Where(a => a.Value.Until <= now).Select(a => a.Key).ToList())
            _answers.Remove(stale);
        if (_answers.Count >= capacity)
            _answers.Remove(_answers.MinBy(a => a.Value.Until).Key);
    }
}

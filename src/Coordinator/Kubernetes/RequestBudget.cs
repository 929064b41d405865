namespace NodeHealth.Coordinator.Kubernetes;

/// <summary>
/// The coordinator's client-side rate limit for writes to the API server (client-go's QPS and
/// burst): a token bucket shared by every node's writer, so a fleet-wide event cannot flood the API.
/// </summary>
public sealed class RequestBudget(double queriesPerSecond, int burst, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private long _refilledAt = clock.GetTimestamp();

    /// <summary>Takes a token and tells how long to wait before using it (zero when one was there).</summary>
    public TimeSpan Take()
    {
        lock (_gate)
        {
            var now = clock.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + clock.GetElapsedTime(_refilledAt, now).TotalSeconds * queriesPerSecond);
            _refilledAt = now;
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / queriesPerSecond);
        }
    }

    public async Task WaitAsync(CancellationToken cancellation)
    {
        if (Take() is { } wait && wait > TimeSpan.Zero)
            await Task.Delay(wait, clock, cancellation);
    }
}

namespace NodeHealth.Coordinator.Kubernetes;

/// <summary>
/// Exponential backoff with full jitter between half and all of the step, so a fleet of writers
/// that failed together does not retry together; the server's Retry-After is a floor.
/// </summary>
public sealed record RetryPolicy(TimeSpan First, TimeSpan Max)
{
    public static readonly RetryPolicy Default = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    /// <param name="attempt">1 for the first retry.</param>
    /// <param name="jitter">A random number in [0, 1).</param>
    public TimeSpan Delay(int attempt, TimeSpan? retryAfter, double jitter)
    {
        var step = Math.Min(Max.TotalMilliseconds, First.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        var backoff = TimeSpan.FromMilliseconds(step * (0.5 + jitter / 2));
        return retryAfter is { } after && after > backoff ? after + TimeSpan.FromMilliseconds(step * jitter / 10) : backoff;
    }
}

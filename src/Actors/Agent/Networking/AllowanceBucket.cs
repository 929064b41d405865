namespace NodeHealth.Actors.Agent.Networking;

/// <summary>
/// How much a monotonically growing error counter may grow: a token bucket of <paramref name="burst"/> tokens
/// refilled at <paramref name="refillPerSecond"/>. The first sample is the baseline; growth the bucket cannot
/// pay for is an excess. Kept across polls (EKS rebuilds its tracker every poll, so its baseline is always
/// the first sample and its allowance checks never fire).
/// </summary>
public sealed class AllowanceBucket(double burst, double refillPerSecond)
{
    private readonly double _burst = burst;
    private long? _last;
    private DateTime _at;
    private double _tokens = burst;

    /// <summary>True when the counter grew by more than the bucket holds since the last sample.</summary>
    public bool Exceeded(long counter, DateTime at)
    {
        if (_last is not { } last || counter < last)
        {
            // First sample, or the driver reset its counters: a new baseline.
            (_last, _at) = (counter, at);
            return false;
        }

        _tokens = Math.Min(_burst, _tokens + Math.Max(0, (at - _at).TotalSeconds) * refillPerSecond);
        var growth = counter - last;
        (_last, _at) = (counter, at);
        if (growth <= _tokens)
        {
            _tokens -= growth;
            return false;
        }

        _tokens = 0;
        return true;
    }
}

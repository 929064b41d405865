namespace NodeHealth.Kubernetes.Tests.Support;

/// <summary>Time a test moves by hand (wall clock and timestamps); timers stay real.</summary>
public sealed class ManualClock(DateTime start) : TimeProvider
{
    private DateTimeOffset _now = new(start, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => _now += by;
}

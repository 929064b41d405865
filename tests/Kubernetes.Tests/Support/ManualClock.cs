namespace NodeHealth.Kubernetes.Tests.Support;

/// <summary>Wall-clock time a test moves by hand; timers and timestamps stay real.</summary>
public sealed class ManualClock(DateTime start) : TimeProvider
{
    private DateTimeOffset _now = new(start, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

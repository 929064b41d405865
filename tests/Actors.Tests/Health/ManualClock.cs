namespace NodeHealth.Actors.Tests.Health;

/// <summary>A clock the test moves by hand, counting how often it is read (a busy loop reads it without end).</summary>
internal sealed class ManualClock(DateTime start) : TimeProvider
{
    private long _ticks = start.Ticks;
    private long _reads;

    public long Reads => Interlocked.Read(ref _reads);

    public override DateTimeOffset GetUtcNow()
    {
        Interlocked.Increment(ref _reads);
        return new DateTimeOffset(Interlocked.Read(ref _ticks), TimeSpan.Zero);
    }

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

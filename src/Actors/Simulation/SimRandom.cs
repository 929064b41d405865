namespace NodeHealth.Actors.Simulation;

/// <summary>
/// The simulator's own PRNG (xoshiro256**, seeded by SplitMix64), so a seed gives the same run on every machine and
/// .NET version (System.Random's algorithm is not a contract). Each node and each event draws from its own stream, so
/// every policy of a scenario meets the same fault arrivals (common random numbers) whatever its repairs change.
/// </summary>
public sealed class SimRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SimRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>An independent stream for one purpose (<paramref name="stream"/>) and one thing (<paramref name="index"/>).</summary>
    public static SimRandom For(ulong seed, ulong stream, ulong index)
    {
        var x = seed ^ (stream * 0x9E3779B97F4A7C15UL);
        var mixed = SplitMix(ref x) ^ (index * 0xD1B54A32D192ED03UL);
        return new SimRandom(SplitMix(ref mixed));
    }

    public ulong NextULong()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An exponentially distributed time with the given mean (in ticks, never 0).</summary>
    public long Exponential(double meanTicks) => Math.Max(1, (long)(-Math.Log(1.0 - NextDouble()) * meanTicks));

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

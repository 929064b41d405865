using System.Collections.Immutable;

namespace NodeHealth.Actors.Simulation;

/// <summary>
/// Poisson fault arrivals per slot, by thinning: candidates come at the slot's highest rate (a lemon's), and each is
/// kept with the share the machine in the slot has now (a lemon's replacement fails at the normal rate). Each
/// candidate draws the same three numbers whether kept or not, so every policy sees the same arrivals on the same slots.
/// </summary>
internal sealed class FaultArrivals
{
    private readonly Scenario _scenario;
    private readonly Dictionary<string, (ImmutableArray<FaultCause> Causes, double PerTick)> _pools = new(StringComparer.Ordinal);
    private readonly SimRandom[] _random;
    private readonly double[] _maxMultiplier;

    public FaultArrivals(Scenario scenario)
    {
        _scenario = scenario;
        _random = new SimRandom[scenario.NodeCount];
        _maxMultiplier = new double[scenario.NodeCount];
        foreach (var pool in scenario.Pools)
        {
            ImmutableArray<FaultCause> causes = [.. scenario.Faults.Where(f => Applies(f, pool))];
            _pools[pool.Name] = (causes, causes.Sum(c => c.RatePerNodeDay) / TimeSpan.TicksPerDay);
        }
    }

    /// <summary>Causes on AcceleratedHardwareReady hit only pools with accelerators; a cause naming pools hits only those.</summary>
    public static bool Applies(FaultCause cause, PoolSpec pool) =>
        (cause.Pools.IsDefaultOrEmpty ? cause.Condition != "AcceleratedHardwareReady" || pool.AcceleratorsPerNode > 0 : cause.Pools.Contains(pool.Name));

    public DateTimeOffset First(SimulatedNode node)
    {
        _random[node.Index] = SimRandom.For(_scenario.Seed, Streams.Arrivals, (ulong)node.Index);
        _maxMultiplier[node.Index] = node.Lemon ? _scenario.Lemons.RateMultiplier : 1.0;
        return Next(node, _scenario.Start);
    }

    /// <summary>The candidate at <paramref name="now"/>: the cause and how long until it clears (null: never), or no cause (thinned out).</summary>
    public (FaultCause? Cause, TimeSpan? ClearsAfter, DateTimeOffset Next) Arrive(SimulatedNode node, DateTimeOffset now)
    {
        var random = _random[node.Index];
        var keep = random.NextDouble();
        var pick = random.NextDouble();
        var clear = random.NextDouble();
        var (causes, perTick) = _pools[node.Pool.Name];
        var next = Next(node, now);
        var share = (node.Lemon ? _scenario.Lemons.RateMultiplier : 1.0) / _maxMultiplier[node.Index];
        if (keep >= share || causes.IsEmpty)
            return (null, null, next);
        var target = pick * perTick * TimeSpan.TicksPerDay;
        var cause = causes[^1];
        foreach (var candidate in causes)
        {
            if (target < candidate.RatePerNodeDay)
            {
                cause = candidate;
                break;
            }

            target -= candidate.RatePerNodeDay;
        }

        TimeSpan? after = cause.Clearing.After is not { } mean ? null
            : cause.Clearing.Exponential ? TimeSpan.FromTicks(Math.Max(1, (long)(-Math.Log(1.0 - clear) * mean.Ticks))) : mean;
        return (cause, after, next);
    }

    private DateTimeOffset Next(SimulatedNode node, DateTimeOffset now)
    {
        var perTick = _pools[node.Pool.Name].PerTick * _maxMultiplier[node.Index];
        if (perTick <= 0)
            return DateTimeOffset.MaxValue;
        var gap = _random[node.Index].Exponential(1.0 / perTick);
        return gap >= (_scenario.End - now).Ticks ? DateTimeOffset.MaxValue : now + TimeSpan.FromTicks(gap);
    }
}

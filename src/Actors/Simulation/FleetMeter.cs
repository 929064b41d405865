using System.Collections.Immutable;

namespace NodeHealth.Actors.Simulation;

/// <summary>
/// Integrates the fleet over virtual time: serving node-hours, accelerator-hours lost, capacity per stretch, and
/// each outage of a slot (fault onset to serving again), split into those a repair ended and those that cleared by themselves.
/// </summary>
internal sealed class FleetMeter
{
    private static readonly double[] Edges = [0, 0.5, 1, 2, 4, 8, 16, 32, 64];

    private readonly DateTimeOffset _start;
    private readonly long _bucketTicks;
    private readonly double[] _servingTicks;
    private readonly List<double> _repairedHours = [];
    private long _lastTicks;
    private int _serving;
    private double _servingNodeTicks;
    private double _lostAcceleratorTicks;
    private int _lostAccelerators;

    public FleetMeter(DateTimeOffset start, TimeSpan length, int nodes)
    {
        _start = start;
        var hours = Math.Max(1, (long)Math.Ceiling(length.TotalHours / 500));
        _bucketTicks = TimeSpan.FromHours(hours).Ticks;
        _servingTicks = new double[(int)((length.Ticks + _bucketTicks - 1) / _bucketTicks)];
        _serving = nodes;
        MinServing = nodes;
        Nodes = nodes;
    }

    public int Nodes { get; }
    public int MinServing { get; private set; }
    public int SelfCleared { get; private set; }
    public double BucketHours => TimeSpan.FromTicks(_bucketTicks).TotalHours;

    /// <summary>Accumulates up to <paramref name="now"/> with the current serving count.</summary>
    public void Advance(DateTimeOffset now)
    {
        var ticks = (now - _start).Ticks;
        while (_lastTicks < ticks)
        {
            var bucket = (int)(_lastTicks / _bucketTicks);
            if (bucket >= _servingTicks.Length)
                break;
            var until = Math.Min(ticks, (bucket + 1) * _bucketTicks);
            var span = until - _lastTicks;
            _servingTicks[bucket] += (double)_serving * span;
            _servingNodeTicks += (double)_serving * span;
            _lostAcceleratorTicks += (double)_lostAccelerators * span;
            _lastTicks = until;
        }
    }

    /// <summary>A slot stopped or started serving at <paramref name="now"/> (after <see cref="Advance"/>).</summary>
    public void Changed(SimulatedNode node, bool serving, DateTimeOffset now)
    {
        if (!serving)
        {
            _serving--;
            _lostAccelerators += node.Pool.AcceleratorsPerNode;
            MinServing = Math.Min(MinServing, _serving);
            node.DownSince = now;
            node.RepairedWhileDown = false;
            return;
        }

        _serving++;
        _lostAccelerators -= node.Pool.AcceleratorsPerNode;
        if (node.DownSince is { } since)
        {
            if (node.RepairedWhileDown)
                _repairedHours.Add((now - since).TotalHours);
            else
                SelfCleared++;
        }

        node.DownSince = null;
    }

    public double ServingNodeHours => _servingNodeTicks / TimeSpan.TicksPerHour;

    public double AcceleratorHoursLost => _lostAcceleratorTicks / TimeSpan.TicksPerHour;

    public ImmutableArray<CapacityPoint> Capacity() =>
    [
        .. _servingTicks.Select((ticks, i) =>
        {
            var length = Math.Min(_bucketTicks, _lastTicks - (long)i * _bucketTicks);
            return new CapacityPoint(Round(i * BucketHours), length <= 0 ? 1.0 : Round(ticks / length / Nodes));
        }),
    ];

    public TimeToRepair TimeToRepair()
    {
        var sorted = _repairedHours.Order().ToArray();
        double Quantile(double q) => sorted.Length == 0 ? 0 : Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)]);
        var buckets = Edges.Select((from, i) => new HistogramBucket(from, i + 1 < Edges.Length ? Edges[i + 1] : null,
            sorted.Count(h => h >= from && (i + 1 >= Edges.Length || h < Edges[i + 1])))).ToImmutableArray();
        return new TimeToRepair(sorted.Length, Quantile(0.5), Quantile(0.9), Quantile(0.99), sorted.Length == 0 ? 0 : Round(sorted[^1]), buckets);
    }

    /// <summary>Six decimals: enough for any chart or table, and the same text on every machine.</summary>
    public static double Round(double value) => Math.Round(value, 6, MidpointRounding.ToEven);
}

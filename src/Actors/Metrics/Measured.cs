using System.Diagnostics.Metrics;

namespace NodeHealth.Actors.Metrics;

/// <summary>One value of a gauge with its labels, computed from a published state and handed to the exporter when it scrapes.</summary>
public sealed record Measured(double Value, params KeyValuePair<string, object?>[] Labels)
{
    public Measurement<double> ToMeasurement() => new(Value, Labels);

    public string? Label(string name) => Labels.FirstOrDefault(l => l.Key == name).Value as string;

    public static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}

/// <summary>
/// The latest measurements of a set of gauges, swapped whole by the one writer that publishes them. A label set that
/// was measured once and is gone now reads 0 while <see cref="ZeroFilled"/> names its gauge (a fault that cleared), so a
/// graph drops to 0 instead of keeping its last value; per-node gauges just disappear.
/// </summary>
public sealed class GaugeBoard(params string[] zeroFilled)
{
    private readonly HashSet<string> _zeroFilled = [.. zeroFilled];
    private readonly Dictionary<string, Dictionary<string, Measured>> _seen = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private IReadOnlyDictionary<string, IReadOnlyList<Measured>> _current = new Dictionary<string, IReadOnlyList<Measured>>();

    public IReadOnlyCollection<string> ZeroFilled => _zeroFilled;

    public void Publish(IReadOnlyDictionary<string, IReadOnlyList<Measured>> measured)
    {
        lock (_lock)
        {
            var next = new Dictionary<string, IReadOnlyList<Measured>>(StringComparer.Ordinal);
            foreach (var (gauge, values) in measured)
                next[gauge] = values;
            foreach (var gauge in _zeroFilled)
            {
                var seen = _seen.TryGetValue(gauge, out var known) ? known : _seen[gauge] = new(StringComparer.Ordinal);
                var now = next.GetValueOrDefault(gauge) ?? [];
                foreach (var value in now)
                    seen[Key(value)] = value with { Value = 0 };
                var present = now.Select(Key).ToHashSet(StringComparer.Ordinal);
                next[gauge] = [.. now, .. seen.Where(s => !present.Contains(s.Key)).Select(s => s.Value)];
            }

            _current = next;
        }
    }

    /// <summary>Forget everything: the publisher stopped here (a singleton that moved to another coordinator).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _seen.Clear();
            _current = new Dictionary<string, IReadOnlyList<Measured>>();
        }
    }

    public IReadOnlyList<Measured> Read(string gauge) => Volatile.Read(ref _current).GetValueOrDefault(gauge) ?? [];

    public IEnumerable<Measurement<double>> Measurements(string gauge) => Read(gauge).Select(m => m.ToMeasurement());

    private static string Key(Measured value) => string.Join('\u0001', value.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}

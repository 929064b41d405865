using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace NodeHealth.Actors.Tests.Metrics;

/// <summary>
/// What one instrument records while the test runs, through a real MeterListener (as an exporter listens). Meters are
/// process-wide: tests tell their own measurements apart by a label value nobody else uses.
/// </summary>
public sealed class MeasurementsOf : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(double Value, Dictionary<string, string?> Labels)> _recorded = new();

    public MeasurementsOf(string meter, string instrument)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Meter.Name == meter && published.Name == instrument)
                listener.EnableMeasurementEvents(published);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Add(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) => Add(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Add(value, tags));
        _listener.Start();
    }

    /// <summary>Reads observable instruments now, as a scrape would.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public IReadOnlyList<(double Value, Dictionary<string, string?> Labels)> Where(string label, string value) =>
        [.. _recorded.Where(r => r.Labels.GetValueOrDefault(label) == value)];

    public IReadOnlyList<(double Value, Dictionary<string, string?> Labels)> All => [.. _recorded];

    public void Dispose() => _listener.Dispose();

    private void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new Dictionary<string, string?>();
        foreach (var tag in tags)
            labels[tag.Key] = tag.Value?.ToString();
        _recorded.Enqueue((value, labels));
    }
}

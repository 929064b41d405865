using NodeHealth.Coordinator.Kubernetes.Events;
using static NodeHealth.Kubernetes.Tests.Support.Writers;

namespace NodeHealth.Kubernetes.Tests.Events;

public sealed class EventCorrelatorTests
{
    private static readonly Occurrence Lockup = new("Warning", "KernelReady", "Detected", "SoftLockup: stuck", T0, 1);

    private static Occurrence At(DateTime at, string note = "SoftLockup: stuck") => Lockup with { ObservedAt = at, Note = note };

    [Fact]
    public void The_first_occurrence_creates_an_event_and_the_second_makes_it_a_series_at_once()
    {
        var correlator = new EventCorrelator(EventCorrelatorSettings.ClientGo, T0);

        var created = Assert.IsType<CreateEvent>(Assert.Single(correlator.Observe(At(T0), T0)));
        correlator.Created(created.Key, "node-a.1");
        var series = Assert.IsType<PatchSeries>(Assert.Single(correlator.Observe(At(T0.AddSeconds(10)), T0.AddSeconds(10))));

        Assert.Equal(("node-a.1", 2L, T0.AddSeconds(10)), (series.Name, series.Count, series.LastObserved));
    }

    [Fact]
    public void Later_occurrences_are_counted_and_written_when_the_series_finishes_after_six_quiet_minutes()
    {
        var correlator = new EventCorrelator(EventCorrelatorSettings.ClientGo, T0);
        var created = (CreateEvent)correlator.Observe(At(T0), T0)[0];
        correlator.Created(created.Key, "node-a.1");
        correlator.Observe(At(T0.AddSeconds(1)), T0.AddSeconds(1));

        for (var i = 2; i < 10; i++)
            Assert.Empty(correlator.Observe(At(T0.AddSeconds(i)), T0.AddSeconds(i)));
        Assert.Empty(correlator.Tick(T0.AddMinutes(5)));
        var final = Assert.IsType<PatchSeries>(Assert.Single(correlator.Tick(T0.AddMinutes(7))));

        Assert.Equal((10L, T0.AddSeconds(9)), (final.Count, final.LastObserved));
        Assert.Empty(correlator.Tick(T0.AddMinutes(8)));
        Assert.IsType<CreateEvent>(Assert.Single(correlator.Observe(At(T0.AddMinutes(9)), T0.AddMinutes(9))));
    }

    [Fact]
    public void A_long_series_is_refreshed_every_thirty_minutes()
    {
        var correlator = new EventCorrelator(EventCorrelatorSettings.ClientGo, T0);
        correlator.Created(((CreateEvent)correlator.Observe(At(T0), T0)[0]).Key, "node-a.1");
        correlator.Observe(At(T0.AddMinutes(1)), T0.AddMinutes(1));

        var refreshes = new List<long>();
        for (var minute = 2; minute <= 31; minute++)
        {
            correlator.Observe(At(T0.AddMinutes(minute)), T0.AddMinutes(minute));
            refreshes.AddRange(correlator.Tick(T0.AddMinutes(minute)).OfType<PatchSeries>().Select(p => p.Count));
        }

        Assert.Equal([32L], refreshes);
    }

    [Fact]
    public void A_node_may_write_25_events_at_once_and_then_one_every_five_minutes()
    {
        var correlator = new EventCorrelator(EventCorrelatorSettings.ClientGo, T0);

        var burst = Enumerable.Range(0, 30).SelectMany(i => correlator.Observe(At(T0, $"SoftLockup: CPU#{i}"), T0)).ToList();
        var soon = correlator.Observe(At(T0.AddMinutes(1), "SoftLockup: CPU#99"), T0.AddMinutes(1));
        var later = correlator.Observe(At(T0.AddMinutes(6), "SoftLockup: CPU#100"), T0.AddMinutes(6));

        Assert.Equal((25, 0, 1, 6L), (burst.Count, soon.Count, later.Count, correlator.Dropped));
    }
}

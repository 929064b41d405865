using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Detection;

public sealed class OccurrenceWindowTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static ReasonRule Rule(int count, TimeSpan window) => new(ConditionType.KernelReady, "Flaky", Severity.Warning, "kmsg", "x", null,
        new OccurrenceThreshold(count, window), RecoveryMode.None, TimeSpan.Zero, RepairAction.None, "", "test");

    [Fact]
    public void Rule_without_threshold_fires_every_time()
    {
        var window = new OccurrenceWindow();
        Assert.True(window.ShouldFire(Rule(1, TimeSpan.Zero), null, T0));
        Assert.True(window.ShouldFire(Rule(1, TimeSpan.Zero), null, T0));
    }

    [Fact]
    public void Third_occurrence_within_the_window_fires_then_counting_restarts()
    {
        var window = new OccurrenceWindow();
        var rule = Rule(3, TimeSpan.FromMinutes(10));

        Assert.False(window.ShouldFire(rule, null, T0));
        Assert.False(window.ShouldFire(rule, null, T0.AddMinutes(1)));
        Assert.True(window.ShouldFire(rule, null, T0.AddMinutes(2)));
        Assert.False(window.ShouldFire(rule, null, T0.AddMinutes(3)));
    }

    [Fact]
    public void A_clock_that_goes_back_by_more_than_the_window_starts_the_count_afresh()
    {
        var window = new OccurrenceWindow();
        var rule = Rule(3, TimeSpan.FromMinutes(10));

        Assert.False(window.ShouldFire(rule, null, T0.AddDays(300)));
        Assert.False(window.ShouldFire(rule, null, T0.AddDays(300)));
        Assert.False(window.ShouldFire(rule, null, T0));
        Assert.False(window.ShouldFire(rule, null, T0.AddMinutes(1)));
        Assert.True(window.ShouldFire(rule, null, T0.AddMinutes(2)));
    }

    [Fact]
    public void Occurrences_older_than_the_window_do_not_count()
    {
        var window = new OccurrenceWindow();
        var rule = Rule(2, TimeSpan.FromMinutes(5));

        Assert.False(window.ShouldFire(rule, null, T0));
        Assert.False(window.ShouldFire(rule, null, T0.AddMinutes(6)));
        Assert.True(window.ShouldFire(rule, null, T0.AddMinutes(7)));
    }

    [Fact]
    public void Entities_are_counted_apart()
    {
        var window = new OccurrenceWindow();
        var rule = Rule(2, TimeSpan.FromMinutes(5));

        Assert.False(window.ShouldFire(rule, "gpu0", T0));
        Assert.False(window.ShouldFire(rule, "gpu1", T0));
        Assert.True(window.ShouldFire(rule, "gpu0", T0.AddSeconds(1)));
    }
}

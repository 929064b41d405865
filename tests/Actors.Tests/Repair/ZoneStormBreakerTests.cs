using System.Collections.Immutable;
using NodeHealth.Actors.Repair.Budgets;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

public sealed class ZoneStormBreakerTests
{
    private static readonly ZoneStormPolicy Policy = ZoneStormPolicy.Default; // more than 20 % within 10m, cool-down 30m, zones of 5+
    private static readonly ImmutableDictionary<string, ZoneBreakerState> Closed = ImmutableDictionary<string, ZoneBreakerState>.Empty;

    private static ZoneHealth Zone(int nodes, params int[] unhealthySinceMinutes) => new("eu-west-1a", nodes, [.. unhealthySinceMinutes.Select(At)]);

    [Theory]
    [InlineData(10, new[] { 1, 2 }, false)]       // 20 %: not more than the threshold
    [InlineData(10, new[] { 1, 2, 3 }, true)]     // 30 % within 10 minutes
    [InlineData(10, new[] { -30, -20, 5 }, false)] // the same share spread over 35 minutes is no storm
    [InlineData(4, new[] { 1, 2, 3 }, false)]     // a zone smaller than minZoneNodes never trips
    public void A_zone_trips_when_more_than_the_threshold_of_its_nodes_turned_unhealthy_within_the_window(int nodes, int[] since, bool trips)
    {
        var (zones, changes) = ZoneStormBreaker.Evaluate(Policy, Closed, [Zone(nodes, since)], At(10));

        Assert.Equal(trips, zones.GetValueOrDefault("eu-west-1a")?.Tripped ?? false);
        Assert.Equal(trips ? 1 : 0, changes.Length);
        if (trips)
            Assert.Equal("3 of 10 nodes in zone eu-west-1a turned unhealthy within 10m, more than 20 %", changes[0].Cause);
    }

    [Fact]
    public void A_tripped_zone_cools_down_after_the_cool_down_once_the_storm_is_over()
    {
        var (tripped, _) = ZoneStormBreaker.Evaluate(Policy, Closed, [Zone(10, 1, 2, 3)], At(10));

        var (stillStorm, none) = ZoneStormBreaker.Evaluate(Policy, tripped, [Zone(10, 1, 2, 3, 38, 39, 40)], At(40));
        var (cooled, changes) = ZoneStormBreaker.Evaluate(Policy, stillStorm, [Zone(10, 1, 2, 3)], At(40));

        Assert.True(stillStorm["eu-west-1a"].Tripped);
        Assert.Empty(none);
        Assert.False(cooled["eu-west-1a"].Tripped);
        Assert.False(Assert.Single(changes).Tripped);
    }

    [Fact]
    public void An_operator_resume_closes_the_breaker_and_only_newer_onsets_count_towards_the_next_storm()
    {
        var (tripped, _) = ZoneStormBreaker.Evaluate(Policy, Closed, [Zone(10, 1, 2, 3)], At(10));
        var resumed = tripped.SetItem("eu-west-1a", ZoneStormBreaker.Resume(tripped["eu-west-1a"], "eu-west-1a", At(11)));

        var (same, quiet) = ZoneStormBreaker.Evaluate(Policy, resumed, [Zone(10, 1, 2, 3)], At(12));
        var (again, trip) = ZoneStormBreaker.Evaluate(Policy, resumed, [Zone(10, 1, 2, 3, 12, 13, 14)], At(15));

        Assert.False(same["eu-west-1a"].Tripped);
        Assert.Empty(quiet);
        Assert.True(again["eu-west-1a"].Tripped);
        Assert.Single(trip);
    }

    [Fact]
    public void A_disabled_breaker_never_trips()
    {
        var (zones, changes) = ZoneStormBreaker.Evaluate(Policy with { Enabled = false }, Closed, [Zone(10, 1, 2, 3, 4, 5)], At(10));

        Assert.Empty(zones);
        Assert.Empty(changes);
    }
}

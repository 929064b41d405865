using System.Collections.Immutable;
using NodeHealth.Actors.Yaml;

namespace NodeHealth.Actors.Repair.Budgets;

/// <summary>A zone at one moment: its node count and when each of its unhealthy nodes turned unhealthy.</summary>
public sealed record ZoneHealth(string Zone, int Nodes, ImmutableArray<DateTimeOffset> UnhealthySince);

/// <summary>A breaker that changed: tripped (repairs in the zone pause) or cooled down (they resume).</summary>
public sealed record ZoneBreakerChange(string Zone, bool Tripped, DateTimeOffset At, string Cause);

/// <summary>The zone storm breaker as a pure function of the zones' health, the breakers' state and the time.</summary>
public static class ZoneStormBreaker
{
    /// <summary>Trips the breaker of every zone in a storm and cools down the ones whose cool-down passed with the storm over.</summary>
    public static (ImmutableDictionary<string, ZoneBreakerState> Zones, ImmutableArray<ZoneBreakerChange> Changes) Evaluate(
        ZoneStormPolicy policy, ImmutableDictionary<string, ZoneBreakerState> zones, IEnumerable<ZoneHealth> health, DateTimeOffset now)
    {
        if (!policy.Enabled)
            return (zones, []);
        var changes = ImmutableArray.CreateBuilder<ZoneBreakerChange>();
        foreach (var zone in health.Where(z => z.Zone != BudgetPolicy.NoZone).OrderBy(z => z.Zone, StringComparer.Ordinal))
        {
            var state = zones.GetValueOrDefault(zone.Zone) ?? new ZoneBreakerState(zone.Zone, null, "", null);
            var storm = Storm(policy, zone, state.ResumedAt, now);
            if (!state.Tripped && storm is not null)
            {
                zones = zones.SetItem(zone.Zone, state with { TrippedAt = now, TripCause = storm });
                changes.Add(new ZoneBreakerChange(zone.Zone, true, now, storm));
            }
            else if (state.Tripped && storm is null && now >= state.TrippedAt + policy.CoolDown)
            {
                var cause = $"cool-down of {Duration.Text(policy.CoolDown)} since the trip at {state.TrippedAt:u} passed and no storm is going on";
                zones = zones.SetItem(zone.Zone, state with { TrippedAt = null, TripCause = "" });
                changes.Add(new ZoneBreakerChange(zone.Zone, false, now, cause));
            }
        }

        return (zones, changes.ToImmutable());
    }

    /// <summary>An operator resumes a zone: its breaker closes, and only nodes turning unhealthy from now on count towards a new storm.</summary>
    public static ZoneBreakerState Resume(ZoneBreakerState? state, string zone, DateTimeOffset now) =>
        (state ?? new ZoneBreakerState(zone, null, "", null)) with { TrippedAt = null, TripCause = "", ResumedAt = now };

    /// <summary>Why the zone is in a storm now, or null: more than the threshold of its nodes turned unhealthy within the window.</summary>
    public static string? Storm(ZoneStormPolicy policy, ZoneHealth zone, DateTimeOffset? resumedAt, DateTimeOffset now)
    {
        if (zone.Nodes < policy.MinZoneNodes)
            return null;
        var from = now - policy.Window;
        if (resumedAt > from)
            from = resumedAt.Value;
        var recent = zone.UnhealthySince.Count(since => since >= from && since <= now);
        return recent * 100L > (long)policy.ThresholdPercent * zone.Nodes
            ? $"{recent} of {zone.Nodes} nodes in zone {zone.Zone} turned unhealthy within {Duration.Text(policy.Window)}, more than {policy.ThresholdPercent} %"
            : null;
    }
}

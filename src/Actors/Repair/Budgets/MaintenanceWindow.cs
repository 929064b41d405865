using System.Collections.Immutable;
using System.Globalization;

namespace NodeHealth.Actors.Repair.Budgets;

/// <summary>
/// A weekly window in a time zone: it opens on each of <see cref="Days"/> at <see cref="Start"/> (local wall clock)
/// and stays open for <see cref="Length"/>, which may run past midnight (22:00–04:00 belongs to the day it starts).
/// </summary>
public sealed record MaintenanceWindow(ImmutableArray<DayOfWeek> Days, TimeSpan Start, TimeSpan Length, TimeZoneInfo TimeZone, string Origin)
{
    /// <summary>Whether the window is open at <paramref name="now"/>.</summary>
    public bool IsOpen(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, TimeZone).DateTime;
        for (var back = 0; back <= 1; back++)
        {
            var day = local.Date.AddDays(-back);
            var opens = day + Start;
            if (Days.Contains(day.DayOfWeek) && local >= opens && local < opens + Length)
                return true;
        }

        return false;
    }

    /// <summary>The next time the window opens after <paramref name="now"/> (within the coming week and a day).</summary>
    public DateTimeOffset NextOpening(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, TimeZone).DateTime.Date;
        for (var ahead = 0; ahead <= 8; ahead++)
        {
            var day = local.AddDays(ahead);
            if (!Days.Contains(day.DayOfWeek))
                continue;
            var opens = day + Start;
            // A start that falls into a spring-forward gap opens when the clock jumps past it.
            while (TimeZone.IsInvalidTime(opens))
                opens = opens.AddMinutes(15);
            var at = new DateTimeOffset(opens, TimeZone.GetUtcOffset(opens));
            if (at > now)
                return at;
        }

        return now + TimeSpan.FromDays(7); // Unreachable for a valid window: some day within 8 opens.
    }

    public override string ToString()
    {
        var end = Start + Length;
        var days = string.Join(",", Days.Select(d => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(d)));
        return $"{days} {Start:hh\\:mm}–{(end.TotalHours >= 24 ? end - TimeSpan.FromDays(1) : end):hh\\:mm} {TimeZone.Id}";
    }
}

/// <summary>Disruptive actions wait for a maintenance window; with none configured they may run any time.</summary>
public static class MaintenanceSchedule
{
    public static bool IsOpen(ImmutableArray<MaintenanceWindow> windows, DateTimeOffset now) =>
        windows.IsDefaultOrEmpty || windows.Any(w => w.IsOpen(now));

    /// <summary>When the first window opens, or <paramref name="now"/> while one is open.</summary>
    public static DateTimeOffset NextOpening(ImmutableArray<MaintenanceWindow> windows, DateTimeOffset now) =>
        IsOpen(windows, now) ? now : windows.Min(w => w.NextOpening(now));
}

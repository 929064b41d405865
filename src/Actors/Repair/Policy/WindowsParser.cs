using System.Collections.Immutable;
using System.Globalization;
using NodeHealth.Actors.Repair.Budgets;

namespace NodeHealth.Actors.Repair.Policy;

/// <summary>Validates one <c>maintenanceWindows</c> entry: days, start and end as HH:mm (end 24:00 allowed), an IANA time zone.</summary>
internal static class WindowsParser
{
    private static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    public static MaintenanceWindow Parse(PolicyParser parser, WindowEntry e)
    {
        if (e.Days is not { Count: > 0 })
            throw parser.Error(e, $"a maintenance window needs days, e.g. days: [Sat, Sun] (of {string.Join(", ", DayNames)}, or Daily)");
        var days = new HashSet<DayOfWeek>();
        foreach (var day in e.Days)
        {
            if (string.Equals(day, "Daily", StringComparison.Ordinal))
                days.UnionWith(Enum.GetValues<DayOfWeek>());
            else if (Array.IndexOf(DayNames, day) is var index and >= 0)
                days.Add((DayOfWeek)index);
            else if (Enum.TryParse<DayOfWeek>(day, ignoreCase: false, out var full) && full.ToString() == day)
                days.Add(full);
            else
                throw parser.Error(e, $"day '{day}' must be one of {string.Join(", ", DayNames)} (or Monday … Sunday, or Daily)");
        }

        var start = Clock(parser, e, "start", e.Start, allowMidnightEnd: false);
        var end = Clock(parser, e, "end", e.End, allowMidnightEnd: true);
        if (start == end)
            throw parser.Error(e, $"start and end are both {e.Start}; a whole day is start: '00:00', end: '24:00'");
        var length = end > start ? end - start : end + TimeSpan.FromDays(1) - start;
        return new MaintenanceWindow([.. days.Order()], start, length, Zone(parser, e), parser.Where(e));
    }

    private static TimeSpan Clock(PolicyParser parser, WindowEntry e, string key, string? text, bool allowMidnightEnd)
    {
        if (text == "24:00" && allowMidnightEnd)
            return TimeSpan.FromDays(1);
        return text is not null && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.ToTimeSpan()
            : throw parser.Error(e, $"{key} '{text}' must be a 24-hour time HH:mm, e.g. '22:00'{(allowMidnightEnd ? " (or '24:00')" : "")}");
    }

    private static TimeZoneInfo Zone(PolicyParser parser, WindowEntry e)
    {
        if (string.IsNullOrEmpty(e.TimeZone))
            throw parser.Error(e, "a maintenance window needs timeZone, an IANA name such as Europe/Berlin or UTC");
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(e.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw parser.Error(e, $"time zone '{e.TimeZone}' is unknown; use an IANA name such as Europe/Berlin, America/New_York or UTC");
        }
    }
}

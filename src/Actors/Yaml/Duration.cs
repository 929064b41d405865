using System.Globalization;
using System.Text.RegularExpressions;

namespace NodeHealth.Actors.Yaml;

/// <summary>Durations as people write them in our files: <c>90s</c>, <c>10m</c>, <c>1h</c>, <c>7d</c>.</summary>
public static partial class Duration
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="days"/> false refuses <c>d</c> (the catalog's windows are s, m or h).</summary>
    public static bool TryParse(string? text, out TimeSpan value, bool days = true)
    {
        value = TimeSpan.Zero;
        var match = text is null ? null : Pattern().Match(text);
        if (match is not { Success: true } || (!days && match.Groups[2].Value == "d"))
            return false;
        var amount = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        value = match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
        return true;
    }

    /// <summary>The shortest exact form: <c>10m</c>, <c>1h</c>, <c>90s</c>, <c>1d</c>.</summary>
    public static string Text(TimeSpan value) => value switch
    {
        { Ticks: 0 } => "0s",
        _ when value.Ticks % TimeSpan.TicksPerDay == 0 => $"{value.Ticks / TimeSpan.TicksPerDay}d",
        _ when value.Ticks % TimeSpan.TicksPerHour == 0 => $"{value.Ticks / TimeSpan.TicksPerHour}h",
        _ when value.Ticks % TimeSpan.TicksPerMinute == 0 => $"{value.Ticks / TimeSpan.TicksPerMinute}m",
        _ => $"{(long)value.TotalSeconds}s",
    };

    [GeneratedRegex(@"^(\d{1,6})(s|m|h|d)$")]
    private static partial Regex Pattern();
}

using System.Runtime.CompilerServices;
namespace NodeHealth.Actors.Detection.LogLines;

/// <summary>
/// A syslog or journalctl "short" prefix, <c>Mon DD HH:MM:SS[.ffffff] host ident[pid]: </c> or with an RFC 3339
/// stamp (<c>2024-05-01T12:34:56.123456+00:00 host ident: </c>). A year-less stamp is taken as this year, UTC.
/// </summary>
internal readonly ref struct SyslogPrefix
{
    private static readonly int ThisYear = DateTime.UtcNow.Year;

    public ReadOnlySpan<char> Identifier { get; private init; }
    public int TextStart { get; private init; }
    public DateTime At { get; private init; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    public static bool TryParse(ReadOnlySpan<char> line, out SyslogPrefix prefix)
    {
        prefix = default;
        int position;
        DateTime at;
        if (line.Length > 16 && line[3] == ' ' && Month(line[..3]) is var month and > 0)
        {
            if (!BsdStamp(line, month, out at, out position))
                return false;
        }
        else if (!IsoStamp.TryParse(line, out at, out position))
            return false;

        // " host ident[pid]: text"
        if (position >= line.Length || line[position] != ' ')
            return false;
        var hostEnd = line[(position + 1)..].IndexOf(' ');
        if (hostEnd >= 0)
            hostEnd += position + 1;
        if (hostEnd <= position + 1)
            return false;
        var colon = line.Slice(hostEnd + 1, Math.Min(line.Length - hostEnd - 1, 128)).IndexOf(": ");
        if (colon <= 0)
            return false;
        var identifier = line.Slice(hostEnd + 1, colon);
        var bracket = identifier.IndexOf('[');
        if (bracket > 0 && identifier[^1] == ']')
            identifier = identifier[..bracket];
        if (identifier.Length == 0 || identifier.Contains(' '))
            return false;

        prefix = new SyslogPrefix { Identifier = identifier, TextStart = hostEnd + 1 + colon + 2, At = at };
        return true;
    }

    // "Jan  1 12:34:56" or "Jan 01 12:34:56.123456"
    private static bool BsdStamp(ReadOnlySpan<char> line, int month, out DateTime at, out int position)
    {
        at = default;
        position = 15;
        var day = (line[4] == ' ' ? 0 : Digit(line[4])) * 10 + Digit(line[5]);
        if (line[6] != ' ' || line[9] != ':' || line[12] != ':' || day is < 1 or > 31)
            return false;
        var hour = Digit(line[7]) * 10 + Digit(line[8]);
        var minute = Digit(line[10]) * 10 + Digit(line[11]);
        var second = Digit(line[13]) * 10 + Digit(line[14]);
        if (hour > 23 || minute > 59 || second > 60 || day > DateTime.DaysInMonth(ThisYear, month))
            return false;

        long fraction = 0;
        if (line.Length > 16 && line[15] == '.')
        {
            position = 16;
            var scale = TimeSpan.TicksPerSecond;
            while (position < line.Length && char.IsAsciiDigit(line[position]))
            {
                scale /= 10;
                fraction += (line[position++] - '0') * scale;
            }
        }

        at = new DateTime(ThisYear, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Utc).AddTicks(fraction);
        return true;
    }

    private static int Digit(char c) => char.IsAsciiDigit(c) ? c - '0' : 99;

    private static int Month(ReadOnlySpan<char> name) => name switch
    {
        "Jan" => 1, "Feb" => 2, "Mar" => 3, "Apr" => 4, "May" => 5, "Jun" => 6,
        "Jul" => 7, "Aug" => 8, "Sep" => 9, "Oct" => 10, "Nov" => 11, "Dec" => 12,
        _ => 0,
    };
}

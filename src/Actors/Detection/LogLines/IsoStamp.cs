using System.Runtime.CompilerServices;
namespace NodeHealth.Actors.Detection.LogLines;

/// <summary>An RFC 3339 stamp at the start of text, <c>2024-05-01T12:34:56[.fffffffff](Z|±hh:mm|±hhmm)</c>, parsed without allocating.</summary>
internal static class IsoStamp
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    public static bool TryParse(ReadOnlySpan<char> text, out DateTime at, out int length)
    {
        at = default;
        length = 0;
        if (text.Length < 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
            return false;
        int year = Number(text, 0, 4), month = Number(text, 5, 2), day = Number(text, 8, 2);
        int hour = Number(text, 11, 2), minute = Number(text, 14, 2), second = Number(text, 17, 2);
        if (year < 1 || (hour | minute | second) < 0 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
            return false;

        var position = 19;
        long fraction = 0;
        if (position < text.Length && text[position] == '.')
        {
            position++;
            var scale = TimeSpan.TicksPerSecond;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                scale /= 10;
                fraction += (text[position++] - '0') * scale;
            }
        }

        var offset = TimeSpan.Zero;
        if (position < text.Length && text[position] == 'Z')
            position++;
        else if (position + 5 <= text.Length && text[position] is '+' or '-')
        {
            var sign = text[position] == '-' ? -1 : 1;
            var colon = text[position + 3] == ':' ? 1 : 0;
            if (position + 5 + colon > text.Length)
                return false;
            int hours = Number(text, position + 1, 2), minutes = Number(text, position + 3 + colon, 2);
            if (hours > 23 || minutes > 59)
                return false;
            offset = sign * new TimeSpan(hours, minutes, 0);
            position += 5 + colon;
        }

        at = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Utc).AddTicks(fraction) - offset;
        length = position;
        return true;
    }

    private static int Number(ReadOnlySpan<char> text, int start, int digits)
    {
        var value = 0;
        for (var i = start; i < start + digits; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
                return -10_000;
            value = value * 10 + (text[i] - '0');
        }

        return value;
    }
}

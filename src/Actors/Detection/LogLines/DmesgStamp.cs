using System.Runtime.CompilerServices;
using System.Globalization;

namespace NodeHealth.Actors.Detection.LogLines;

/// <summary>
/// dmesg's stamp before the text: <c>[ 12345.678901] </c> (seconds since boot, counted here from the Unix
/// epoch), <c>dmesg -T</c>'s <c>[Mon Jan  1 12:34:56 2024] </c>, each optionally followed by a printk caller id
/// <c>[T123] </c> or <c>[    C2]</c>.
/// </summary>
internal static class DmesgStamp
{
    private static readonly string[] HumanFormats = ["ddd MMM d HH:mm:ss yyyy", "ddd MMM  d HH:mm:ss yyyy"];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    public static bool TryParse(ReadOnlySpan<char> text, out int length, out DateTime at)
    {
        length = 0;
        at = default;
        if (text.Length < 3 || text[0] != '[')
            return false;
        var close = text[..Math.Min(text.Length, 40)].IndexOf(']');
        if (close < 2)
            return false;

        var inside = text[1..close].TrimStart(' ');
        if (!SinceBoot(inside, out at)
            && !DateTime.TryParseExact(inside, HumanFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out at))
            return false;

        length = close + 1;
        length += CallerId(text[length..]);
        if (length < text.Length && text[length] == ' ')
            length++;
        return true;
    }

    private static bool SinceBoot(ReadOnlySpan<char> inside, out DateTime at)
    {
        at = default;
        var dot = inside.IndexOf('.');
        if (dot < 1 || dot == inside.Length - 1)
            return false;
        long seconds = 0, micros = 0;
        foreach (var c in inside[..dot])
        {
            if (!char.IsAsciiDigit(c) || seconds > 1_000_000_000_000)
                return false;
            seconds = seconds * 10 + (c - '0');
        }

        var fraction = inside[(dot + 1)..];
        if (fraction.Length > 9)
            return false;
        for (var i = 0; i < 6; i++)
        {
            var digit = i < fraction.Length ? fraction[i] : '0';
            if (!char.IsAsciiDigit(digit))
                return false;
            micros = micros * 10 + (digit - '0');
        }

        at = DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond + micros * 10);
        return true;
    }

    // "[T123]" or "[    C2]" right after the stamp (dmesg prints it without a space between).
    private static int CallerId(ReadOnlySpan<char> rest)
    {
        var skip = rest.Length > 0 && rest[0] == ' ' ? 1 : 0;
        var candidate = rest[skip..];
        if (candidate.Length < 4 || candidate[0] != '[')
            return 0;
        var close = candidate[..Math.Min(candidate.Length, 16)].IndexOf(']');
        if (close < 3)
            return 0;
        var id = candidate[1..close].TrimStart(' ');
        if (id.Length < 2 || id[0] is not ('T' or 'C'))
            return 0;
        foreach (var c in id[1..])
            if (!char.IsAsciiDigit(c))
                return 0;
        return skip + close + 1;
    }
}

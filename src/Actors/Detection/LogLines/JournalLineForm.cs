using System.Runtime.CompilerServices;
namespace NodeHealth.Actors.Detection.LogLines;

/// <summary>
/// Lines of a journal identifier or a program's log file: bare, behind a journalctl/syslog "short" prefix
/// (<c>Mon DD HH:MM:SS host ident[pid]: text</c>), behind a CRI container-log prefix
/// (<c>2024-05-01T12:34:56.123456789Z stderr F text</c>), or a JSON line whose <c>"ts"</c> dates it (ipamd).
/// </summary>
public static class JournalLineForm
{
    /// <summary>The text of <paramref name="line"/>; false for lines that carry none (empty, journalctl's "-- Boot … --" markers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    public static bool TryParse(ReadOnlySpan<char> line, out LogLine parsed)
    {
        parsed = default;
        if (line.Length == 0 || line.StartsWith("-- ", StringComparison.Ordinal))
            return false;

        if (SyslogPrefix.TryParse(line, out var prefix))
        {
            parsed = new LogLine(line[prefix.TextStart..], prefix.At);
            return true;
        }

        if (char.IsAsciiDigit(line[0]) && IsoStamp.TryParse(line, out var at, out var length) && CriStream(line[length..]) is var streamLength and > 0)
        {
            parsed = new LogLine(line[(length + streamLength)..], at);
            return true;
        }

        parsed = new LogLine(line, line[0] == '{' ? JsonTimestamp(line) : null);
        return true;
    }

    // " stdout F " or " stderr P ": the length of the CRI stream and tag fields, 0 when absent.
    private static int CriStream(ReadOnlySpan<char> rest)
    {
        if (rest.Length < 10 || rest[0] != ' ' || !(rest[1..7].SequenceEqual("stdout") || rest[1..7].SequenceEqual("stderr")) || rest[7] != ' ' || rest[9] != ' ')
            return 0;
        return rest[8] is 'F' or 'P' ? 10 : 0;
    }

    private static DateTime? JsonTimestamp(ReadOnlySpan<char> line)
    {
        var key = line[..Math.Min(line.Length, 512)].IndexOf("\"ts\":\"", StringComparison.Ordinal);
        return key >= 0 && IsoStamp.TryParse(line[(key + 6)..], out var at, out _) ? at : null;
    }
}

using System.Globalization;

namespace NodeHealth.Actors.Detection;

/// <summary>
/// One /dev/kmsg record: <c>prio,seq,usec,flags[,…];text</c> followed by optional continuation
/// lines (" KEY=value"), which we drop. <see cref="Priority"/> includes the facility.
/// </summary>
public sealed record KmsgRecord(int Priority, long Sequence, long TimestampMicros, string Text)
{
    /// <summary>Syslog level 0 (emerg) … 7 (debug), whatever the facility.</summary>
    public int Level => Priority & 7;

    /// <summary>Parses one record; a malformed one yields null and a reason in <paramref name="error"/>.</summary>
    public static KmsgRecord? TryParse(string raw, out string? error)
    {
        error = null;
        var semicolon = raw.IndexOf(';');
        if (semicolon <= 0)
        {
            error = "no ';' between header and text";
            return null;
        }

        var header = raw.AsSpan(0, semicolon);
        Span<Range> fields = stackalloc Range[5];
        var count = header.Split(fields, ',');
        if (count < 3)
        {
            error = "header has fewer than three fields (prio,seq,usec)";
            return null;
        }

        if (!int.TryParse(header[fields[0]], NumberStyles.None, CultureInfo.InvariantCulture, out var priority)
            || !long.TryParse(header[fields[1]], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !long.TryParse(header[fields[2]], NumberStyles.None, CultureInfo.InvariantCulture, out var micros))
        {
            error = "prio, seq or usec is not a number";
            return null;
        }

        var text = raw.AsSpan(semicolon + 1);
        var newline = text.IndexOf('\n');
        if (newline >= 0)
            text = text[..newline];
        return new KmsgRecord(priority, sequence, micros, text.TrimEnd().ToString());
    }
}

using System.Runtime.CompilerServices;
namespace NodeHealth.Actors.Detection.LogLines;

/// <summary>
/// Kernel log lines in every form operators have on disk, mixed in one file: raw <c>/dev/kmsg</c> records
/// (<c>prio,seq,usec,flags[,caller=…];text</c> with <c>\xNN</c> escapes, and their <c> KEY=value</c>
/// continuation lines), <c>dmesg</c> lines (<c>[ 12345.678901] text</c>, optionally <c>[T123]</c>), syslog lines
/// (<c>Mon DD HH:MM:SS host kernel: text</c> or RFC 3339, optionally followed by a dmesg stamp) and bare text.
/// </summary>
public static class KernelLineForm
{
    /// <summary>
    /// The kernel text of <paramref name="line"/>; false for lines that carry none: kmsg continuation lines,
    /// empty lines, and syslog lines of another program (a mixed /var/log/messages).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    public static bool TryParse(ReadOnlySpan<char> line, out LogLine parsed)
    {
        parsed = default;
        if (line.Length == 0 || line[0] == ' ' && IsKmsgContinuation(line))
            return false;

        if (char.IsAsciiDigit(line[0]) && KmsgHeader.TryParse(line, out var textStart, out var micros))
        {
            parsed = new LogLine(KmsgHeader.Unescape(line, textStart), DateTime.UnixEpoch.AddTicks(micros * 10));
            return true;
        }

        if (SyslogPrefix.TryParse(line, out var prefix))
        {
            if (!prefix.Identifier.SequenceEqual("kernel"))
                return false;
            var text = line[prefix.TextStart..];
            var stamped = DmesgStamp.TryParse(text, out var stampLength, out _);
            parsed = new LogLine(stamped ? text[stampLength..] : text, prefix.At);
            return true;
        }

        if (line[0] == '[' && DmesgStamp.TryParse(line, out var length, out var sinceBoot))
        {
            parsed = new LogLine(line[length..], sinceBoot);
            return true;
        }

        parsed = new LogLine(line, null);
        return true;
    }

    // A kmsg record's dictionary lines (" SUBSYSTEM=pci", " DEVICE=+pci:0000:00:1f.2") describe the record before them.
    private static bool IsKmsgContinuation(ReadOnlySpan<char> line)
    {
        var equals = line.IndexOf('=');
        if (equals < 2)
            return false;
        foreach (var c in line[1..equals])
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c) && c != '_')
                return false;
        return true;
    }
}

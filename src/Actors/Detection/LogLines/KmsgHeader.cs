using System.Runtime.CompilerServices;
using System.Text;

namespace NodeHealth.Actors.Detection.LogLines;

/// <summary>The header of a raw /dev/kmsg record, <c>prio,seq,usec,flags[,caller=T1];</c>, and the record's escapes.</summary>
internal static class KmsgHeader
{
    private const int MaxHeaderLength = 96;

    /// <summary>Where the text starts and the record's microseconds since boot; false when the line is not a kmsg record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    public static bool TryParse(ReadOnlySpan<char> line, out int textStart, out long micros)
    {
        textStart = 0;
        micros = 0;
        var position = 0;
        if (!Number(line, ref position, maxDigits: 4, out _) || !Comma(line, ref position)
            || !Number(line, ref position, maxDigits: 19, out _) || !Comma(line, ref position)
            || !Number(line, ref position, maxDigits: 19, out micros) || !Comma(line, ref position))
            return false;

        var semicolon = line.Slice(position, Math.Min(MaxHeaderLength, line.Length - position)).IndexOf(';');
        if (semicolon < 0)
            return false;
        textStart = position + semicolon + 1;
        return true;
    }

    /// <summary>
    /// The record's text with <c>\xNN</c> escapes decoded: the kernel escapes control bytes, bytes ≥ 0x7f and the
    /// backslash, so a UTF-8 character arrives as several escapes and is decoded as one.
    /// </summary>
    public static ReadOnlySpan<char> Unescape(ReadOnlySpan<char> line, int textStart)
    {
        var text = line[textStart..].TrimEnd();
        if (!text.Contains("\\x", StringComparison.Ordinal))
            return text;

        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x' && IsHex(text[i + 2]) && IsHex(text[i + 3]))
            {
                bytes[length++] = (byte)(Hex(text[i + 2]) << 4 | Hex(text[i + 3]));
                i += 3;
            }
            else if (text[i] < 0x80)
                bytes[length++] = (byte)text[i];
            else
                length += Encoding.UTF8.GetBytes(text.Slice(i, char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1), bytes.AsSpan(length));
        }

        return Encoding.UTF8.GetString(bytes, 0, length);
    }

    private static bool Number(ReadOnlySpan<char> line, ref int position, int maxDigits, out long value)
    {
        value = 0;
        var start = position;
        while (position < line.Length && position - start < maxDigits && char.IsAsciiDigit(line[position]))
            value = value * 10 + (line[position++] - '0');
        return position > start;
    }

    private static bool Comma(ReadOnlySpan<char> line, ref int position) =>
        position < line.Length && line[position++] == ',';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int Hex(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

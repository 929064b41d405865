using System.Globalization;

namespace NodeHealth.NodeHost.Logs.Files;

/// <summary>
/// A log file cursor: which file (inode) and the byte offset after the last whole line handled. The inode
/// tells a rotated-away file from the new one at the same path; the offset never points into a line.
/// </summary>
public sealed record FilePosition(ulong Inode, long Offset)
{
    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{Inode}:{Offset}");

    /// <summary>Null for a missing or malformed cursor (the file is then read from its end).</summary>
    public static FilePosition? Parse(string? cursor)
    {
        var colon = cursor?.IndexOf(':') ?? -1;
        if (colon <= 0)
            return null;
        return ulong.TryParse(cursor.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            && long.TryParse(cursor.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? new FilePosition(inode, offset)
            : null;
    }
}

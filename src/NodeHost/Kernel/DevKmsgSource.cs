using System.Globalization;
using NodeHealth.Actors.Agent.Logs;

namespace NodeHealth.NodeHost.Kernel;

/// <summary>
/// The real kernel ring buffer. Cursors are "&lt;boot id&gt;:&lt;sequence&gt;": after a reboot the
/// sequence restarts, so a cursor from another boot means "read this boot's log from its start".
/// "&lt;boot id&gt;:@&lt;microseconds&gt;" is the position of a start that has read no record yet: what the
/// kernel logged up to that time since boot was there before it.
/// </summary>
public sealed class DevKmsgSource(HostPaths host) : ILogSource
{
    public string Name => "kmsg";

    public string Description => host.Resolve("/dev/kmsg");

    public ILogReader Open(string? resumeAfter)
    {
        var bootId = host.BootId() ?? "unknown-boot";
        var fd = LibC.Open(Description, LibC.O_RDONLY | LibC.O_NONBLOCK);
        if (fd < 0)
            throw new LogUnavailableException(LibC.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError()));

        var cursor = ParseCursor(resumeAfter);
        var reader = new DevKmsgReader(fd, bootId);
        if (cursor is null)
        {
            try
            {
                reader.SkipToEnd();
            }
            catch (IOException e)
            {
                reader.Dispose();
                throw new LogUnavailableException(e.Message, e);
            }
        }
        else if (cursor.Value.BootId == bootId && cursor.Value.LoggedUntil)
            reader.SkipLoggedUntil(cursor.Value.Position);
        else if (cursor.Value.BootId == bootId)
            reader.SkipThrough(cursor.Value.Position);
        // A cursor from an earlier boot: everything in the buffer is new to us.
        return reader;
    }

    private static (string BootId, long Position, bool LoggedUntil)? ParseCursor(string? cursor)
    {
        var colon = cursor?.LastIndexOf(':') ?? -1;
        if (colon <= 0)
            return null;
        var position = cursor.AsSpan(colon + 1);
        var loggedUntil = position.StartsWith("@");
        if (!long.TryParse(loggedUntil ? position[1..] : position, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return null;
        return (cursor![..colon], value, loggedUntil);
    }
}

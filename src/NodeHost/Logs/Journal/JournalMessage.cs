using System.Text;

namespace NodeHealth.NodeHost.Logs.Journal;

/// <summary>A journal MESSAGE field as text: bounded, any bytes accepted (journald stores non-UTF-8 as binary).</summary>
internal static class JournalMessage
{
    /// <summary>Decodes at most <paramref name="maxBytes"/> (marking a cut), invalid UTF-8 as U+FFFD, without the trailing newline.</summary>
    public static string Decode(ReadOnlySpan<byte> message, int maxBytes)
    {
        var cut = message.Length > maxBytes;
        if (cut)
            message = message[..maxBytes];
        while (!cut && message.Length > 0 && message[^1] is (byte)'\n' or (byte)'\r')
            message = message[..^1];
        var text = Encoding.UTF8.GetString(message);
        return cut ? text + JournalReader.CutMarker : text;
    }
}

using System.Text;

namespace NodeHealth.NodeHost.Logs.Files;

/// <summary>
/// Cuts bytes into lines. A line without its newline yet is held; one longer than the limit is dropped as it
/// streams by (counted, never buffered whole); invalid UTF-8 becomes U+FFFD.
/// </summary>
internal sealed class LineSplitter(int maxLineBytes)
{
    private readonly MemoryStream _pending = new();
    private bool _dropping;

    /// <summary>Bytes of a line begun but not ended (held or being dropped).</summary>
    public long PendingBytes { get; private set; }

    public int Dropped { get; private set; }

    /// <summary>
    /// Consumes <paramref name="bytes"/> up to and including the first newline: whether a line ended, the line
    /// (null when it was dropped for its length) and how many bytes it consumed.
    /// </summary>
    public (bool Ended, string? Line, int Consumed) Take(ReadOnlySpan<byte> bytes)
    {
        var newline = bytes.IndexOf((byte)'\n');
        var part = newline < 0 ? bytes : bytes[..newline];
        var consumed = newline < 0 ? bytes.Length : newline + 1;
        PendingBytes += part.Length;
        if (!_dropping && _pending.Length + part.Length > maxLineBytes)
        {
            _dropping = true;
            _pending.SetLength(0);
        }

        if (!_dropping)
            _pending.Write(part);
        return newline < 0 ? (false, null, consumed) : (true, Finish(), consumed);
    }

    /// <summary>The held bytes as a line of their own (a rotated file ended without a newline); null when none.</summary>
    public string? Flush() => PendingBytes > 0 ? Finish() : null;

    /// <summary>Forgets the held bytes (the file was truncated under them).</summary>
    public void Reset()
    {
        _pending.SetLength(0);
        _dropping = false;
        PendingBytes = 0;
    }

    /// <summary>How many lines were dropped since the last call.</summary>
    public int TakeDropped()
    {
        var dropped = Dropped;
        Dropped = 0;
        return dropped;
    }

    private string? Finish()
    {
        string? line = null;
        if (_dropping)
            Dropped++;
        else
        {
            var length = (int)_pending.Length;
            var buffer = _pending.GetBuffer();
            if (length > 0 && buffer[length - 1] == (byte)'\r')
                length--;
            line = Encoding.UTF8.GetString(buffer, 0, length);
        }

        Reset();
        return line;
    }
}

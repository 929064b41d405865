using System.Runtime.CompilerServices;
using System.Text;

namespace NodeHealth.Actors.Detection.LogLines;

/// <summary>
/// Reads a stream of log lines without trusting it: any byte sequence decodes (invalid UTF-8 becomes U+FFFD),
/// a line longer than <see cref="MaxLineBytes"/> is cut there and the rest skipped, and memory stays bounded
/// whatever the input. Lines end at '\n' (a trailing '\r' is dropped). Each line is decoded into one reused
/// buffer: reading allocates nothing per line.
/// </summary>
public sealed class LogLineReader(Stream stream, int maxLineBytes = LogLineReader.DefaultMaxLineBytes) : IDisposable
{
    /// <summary>Longer than any kmsg record (1 KiB) or journald line (48 KiB by default).</summary>
    public const int DefaultMaxLineBytes = 64 * 1024;

    private readonly byte[] _buffer = new byte[Math.Max(maxLineBytes, 4096) + 64 * 1024];
    private readonly char[] _line = new char[maxLineBytes]; // UTF-8 never decodes to more chars than bytes.
    private int _start;
    private int _end;
    private bool _endOfStream;

    public int MaxLineBytes { get; } = maxLineBytes;

    /// <summary>Lines cut at <see cref="MaxLineBytes"/> so far.</summary>
    public long Truncated { get; private set; }

    /// <summary>The next line, valid until the next call; false at the end of the stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Runs per log line: optimized from the first line, not after a tier-0 warm-up.
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                if (newline > MaxLineBytes)
                    Truncated++;
                line = Decode(pending[..Math.Min(newline, MaxLineBytes)]);
                return true;
            }

            if (pending.Length >= MaxLineBytes)
            {
                line = Decode(pending[..MaxLineBytes]);
                Truncated++;
                _start = _end; // The rest of this line is dropped, up to its end.
                SkipToNextLine();
                return true;
            }

            if (_endOfStream)
            {
                line = default;
                if (pending.IsEmpty)
                    return false;
                _start = _end;
                line = Decode(pending);
                return true;
            }

            Fill();
        }
    }

    public void Dispose() => stream.Dispose();

    // Discards bytes up to and including the next '\n' (or to the end of the stream).
    private void SkipToNextLine()
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                return;
            }

            _start = _end;
            if (_endOfStream)
                return;
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _endOfStream = true;
        _end += read;
    }

    private ReadOnlySpan<char> Decode(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == '\r')
            line = line[..^1];
        return _line.AsSpan(0, Encoding.UTF8.GetChars(line, _line));
    }
}

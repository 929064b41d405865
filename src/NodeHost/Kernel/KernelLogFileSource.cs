using System.Globalization;
using System.Text;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.Actors.Detection;

namespace NodeHealth.NodeHost.Kernel;

/// <summary>
/// Replays a saved kernel log (kmsg records or plain dmesg/syslog lines) from its first line, then
/// follows it as it grows. Cursors are line numbers. Lines longer than <see cref="MaxLineBytes"/>
/// are cut, and invalid UTF-8 becomes U+FFFD, so no input can stall or crash the monitor.
/// </summary>
public sealed class KernelLogFileSource(string path) : ILogSource
{
    public string Name => "kmsg";

    public const int MaxLineBytes = 16 * 1024;

    public string Description => $"replay of {path}";

    public ILogReader Open(string? resumeAfter)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LogUnavailableException(e.Message, e);
        }

        var skip = long.TryParse(resumeAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var line) ? line : 0;
        return new Reader(stream, skip);
    }

    private sealed class Reader(FileStream stream, long skipThrough) : ILogReader
    {
        private const int MaxLinesPerRead = 1024;
        private readonly byte[] _chunk = new byte[64 * 1024];
        private readonly MemoryStream _line = new();
        private int _chunkStart;
        private int _chunkEnd;
        private bool _lineTooLong;
        private long _lineNumber;

        public LogRead Read(TimeSpan timeout, CancellationToken cancellationToken)
        {
            var records = new List<LogRecord>();
            var startLine = _lineNumber;
            while (records.Count < MaxLinesPerRead && TryReadLine(out var text))
            {
                _lineNumber++;
                if (_lineNumber <= skipThrough)
                    continue;
                // A replay has no boot time to date kmsg records by: they count as seen when read.
                records.Add(new LogRecord(KmsgRecord.TryParse(text, out _)?.Text ?? text.TrimEnd(), null));
            }

            if (_lineNumber == startLine)
            {
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Min(timeout.TotalMilliseconds, 250)));
                return LogRead.Nothing(null);
            }

            return new LogRead(records, _lineNumber.ToString(CultureInfo.InvariantCulture), 0, 0);
        }

        public void Dispose()
        {
            stream.Dispose();
            _line.Dispose();
        }

        /// <summary>One complete line (without its newline); a partial last line waits for its newline.</summary>
        private bool TryReadLine(out string text)
        {
            while (true)
            {
                if (_chunkStart == _chunkEnd)
                {
                    _chunkStart = 0;
                    _chunkEnd = stream.Read(_chunk, 0, _chunk.Length);
                    if (_chunkEnd == 0)
                    {
                        text = "";
                        return false;
                    }
                }

                var newline = Array.IndexOf(_chunk, (byte)'\n', _chunkStart, _chunkEnd - _chunkStart);
                var end = newline < 0 ? _chunkEnd : newline;
                var room = MaxLineBytes - (int)_line.Length;
                var take = Math.Min(end - _chunkStart, Math.Max(room, 0));
                _line.Write(_chunk, _chunkStart, take);
                _lineTooLong |= take < end - _chunkStart;
                _chunkStart = newline < 0 ? _chunkEnd : newline + 1;
                if (newline < 0)
                    continue;

                text = Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length) + (_lineTooLong ? " …[line cut]" : "");
                _line.SetLength(0);
                _lineTooLong = false;
                return true;
            }
        }
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.Actors.Detection;

namespace NodeHealth.NodeHost.Kernel;

/// <summary>
/// Reads /dev/kmsg records through a non-blocking descriptor: each read() returns exactly one record;
/// EPIPE means the kernel overwrote records we had not read (the sequence gap counts them).
/// The thread that reads owns the descriptor: <see cref="Dispose"/> during a read only asks, and the
/// read closes it as it returns (within its timeout), so a descriptor number is never closed under
/// a poll or read that could then touch whatever reuses it.
/// </summary>
internal sealed unsafe class DevKmsgReader(int fd, string bootId) : ILogReader
{
    private const int MaxRecordsPerRead = 256;
    private static readonly TimeSpan KernelClockMargin = TimeSpan.FromSeconds(1);
    private readonly byte[] _buffer = new byte[16 * 1024];
    private long _lastSequence = -1;
    private long _skipThrough = -1;
    private long _skipLoggedUntil = -1;
    private string? _timeCursor;
    private bool _cursorPending;
    private int _fd = fd;
    private int _reading;
    private int _closing;

    /// <summary>
    /// A first start begins at the end without reading the buffer (on a busy ring, reading it could
    /// meet an overwrite and take old records for new). Until a record names a sequence, the cursor
    /// is the kernel clock at the skip: an agent stopped before anything was logged resumes after it.
    /// </summary>
    public void SkipToEnd()
    {
        if (LibC.Seek(_fd, 0, LibC.SEEK_END) < 0)
            throw new IOException($"lseek(/dev/kmsg, SEEK_END) failed: {LibC.Describe(Marshal.GetLastPInvokeError())}");
        // The kernel stamps records with its own clock, a few milliseconds off CLOCK_MONOTONIC: the margin errs
        // toward reading lines from just before the first start (which it skipped) over missing later ones.
        _timeCursor = $"{bootId}:@{(long)(Stopwatch.GetElapsedTime(0) - KernelClockMargin).TotalMicroseconds}";
    }

    /// <summary>Resuming in the same boot: records up to and including <paramref name="sequence"/> were handled before.</summary>
    public void SkipThrough(long sequence)
    {
        _skipThrough = sequence;
        _lastSequence = sequence;
    }

    /// <summary>Resuming a start that read nothing: records logged up to <paramref name="micros"/> after boot were there before it.</summary>
    public void SkipLoggedUntil(long micros) => _skipLoggedUntil = micros;

    public LogRead Read(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _reading, 1) == 1)
            throw new InvalidOperationException("/dev/kmsg is read by one thread at a time");
        try
        {
            return Volatile.Read(ref _closing) == 1 ? LogRead.Nothing(null) : ReadRecords(timeout, cancellationToken);
        }
        finally
        {
            Interlocked.Exchange(ref _reading, 0);
            if (Volatile.Read(ref _closing) == 1)
                CloseOnce();
        }
    }

    /// <summary>Closes now when no read runs, else leaves it to the reading thread as it returns.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _closing, 1);
        if (Volatile.Read(ref _reading) == 0)
            CloseOnce();
    }

    private void CloseOnce()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            LibC.Close(fd);
    }

    private LogRead ReadRecords(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_timeCursor is { } skippedAt)
        {
            _timeCursor = null;
            return LogRead.Nothing(skippedAt);
        }

        if (!_cursorPending && !WaitReadable(timeout))
            return LogRead.Nothing(null);

        var records = new List<LogRecord>();
        long lost = 0;
        var malformed = 0;
        // Record timestamps count from boot on the kernel's clock, which CLOCK_MONOTONIC (the Stopwatch here) follows.
        var now = DateTime.UtcNow;
        var bootedAt = now - Stopwatch.GetElapsedTime(0);
        while (records.Count < MaxRecordsPerRead && !cancellationToken.IsCancellationRequested)
        {
            if (!TryReadRecord(out var raw, out var overwritten))
                break;
            if (overwritten)
                continue; // The gap shows in the next record's sequence number.
            if (KmsgRecord.TryParse(raw!, out _) is not { } record)
            {
                malformed++;
                continue;
            }

            if (record.Sequence <= _skipThrough || record.TimestampMicros <= _skipLoggedUntil)
                continue;
            if (_lastSequence >= 0 && record.Sequence > _lastSequence + 1)
                lost += record.Sequence - _lastSequence - 1;
            _lastSequence = record.Sequence;
            _cursorPending = true;
            records.Add(new LogRecord(record.Text, WallClock(bootedAt, record.TimestampMicros, now)));
        }

        if (!_cursorPending)
            return new LogRead(records, null, lost, malformed);
        _cursorPending = false;
        return new LogRead(records, $"{bootId}:{_lastSequence}", lost, malformed);
    }

    /// <summary>When a record <paramref name="micros"/> after boot was logged, as <c>dmesg -T</c> reckons it, never later than <paramref name="now"/>.</summary>
    internal static DateTime WallClock(DateTime bootedAt, long micros, DateTime now)
    {
        var sinceBoot = Math.Max(0, (now - bootedAt).Ticks);
        return bootedAt.AddTicks(micros <= 0 ? 0 : micros >= sinceBoot / 10 ? sinceBoot : micros * 10);
    }

    private bool WaitReadable(TimeSpan timeout)
    {
        var poll = new LibC.PollFd { Fd = _fd, Events = LibC.POLLIN };
        var ready = LibC.Poll(&poll, 1, (int)timeout.TotalMilliseconds);
        return ready > 0;
    }

    /// <summary>False when nothing more is ready; <paramref name="overwritten"/> when the kernel reports lost records.</summary>
    private bool TryReadRecord(out string? raw, out bool overwritten)
    {
        raw = null;
        overwritten = false;
        while (true)
        {
            nint count;
            fixed (byte* buffer = _buffer)
                count = LibC.Read(_fd, buffer, _buffer.Length);
            if (count > 0)
            {
                raw = Encoding.UTF8.GetString(_buffer, 0, (int)count);
                return true;
            }

            if (count == 0)
                return false;
            var errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case LibC.EINTR:
                    continue;
                case LibC.EAGAIN:
                    return false;
                case LibC.EPIPE:
                    overwritten = true;
                    return true;
                default:
                    throw new IOException($"read(/dev/kmsg) failed: {LibC.Describe(errno)}");
            }
        }
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using NodeHealth.Actors.Agent.Kernel;
using NodeHealth.Actors.Detection;

namespace NodeHealth.NodeHost.Kernel;

/// <summary>
/// Reads /dev/kmsg records through a non-blocking descriptor: each read() returns exactly one record;
/// EPIPE means the kernel overwrote records we had not read (the sequence gap counts them).
/// </summary>
internal sealed unsafe class DevKmsgReader(int fd, string bootId) : IKernelLogReader
{
    private const int MaxRecordsPerRead = 256;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private long _lastSequence = -1;
    private long _skipThrough = -1;
    private bool _cursorPending;
    private int _fd = fd;

    /// <summary>Consumes what is already in the buffer without classifying it: a first start begins at the end.</summary>
    public void SkipToEnd()
    {
        while (TryReadRecord(out var raw, out _) && raw is not null)
        {
            if (KmsgRecord.TryParse(raw, out _) is { } record)
                _lastSequence = record.Sequence;
        }

        _cursorPending = _lastSequence >= 0;
    }

    /// <summary>Resuming in the same boot: records up to and including <paramref name="sequence"/> were handled before.</summary>
    public void SkipThrough(long sequence)
    {
        _skipThrough = sequence;
        _lastSequence = sequence;
    }

    public KernelLogRead Read(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_cursorPending && !WaitReadable(timeout))
            return KernelLogRead.Nothing(null);

        var records = new List<KmsgRecord>();
        long lost = 0;
        var malformed = 0;
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

            if (record.Sequence <= _skipThrough)
                continue;
            if (_lastSequence >= 0 && record.Sequence > _lastSequence + 1)
                lost += record.Sequence - _lastSequence - 1;
            _lastSequence = record.Sequence;
            _cursorPending = true;
            records.Add(record);
        }

        // Record timestamps count from boot on the kernel's clock, which CLOCK_MONOTONIC (the Stopwatch here) follows.
        var bootedAt = DateTime.UtcNow - Stopwatch.GetElapsedTime(0);
        if (!_cursorPending)
            return new KernelLogRead(records, null, lost, malformed, bootedAt);
        _cursorPending = false;
        return new KernelLogRead(records, $"{bootId}:{_lastSequence}", lost, malformed, bootedAt);
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            LibC.Close(fd);
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

using System.Runtime.InteropServices;
using NodeHealth.NodeHost.Kernel;

namespace NodeHealth.NodeHost.Logs;

/// <summary>
/// Blocks a reader's thread in poll(2) on one descriptor (an inotify instance, the journal's) until it is readable,
/// a timeout passes, or a token is cancelled: cancellation writes to an eventfd polled alongside, so an idle reader
/// never wakes just to look for shutdown. Used by one thread at a time.
/// </summary>
internal sealed unsafe class DescriptorWait : IDisposable
{
    private int _eventFd;

    private DescriptorWait(int eventFd) => _eventFd = eventFd;

    /// <summary>Null when no eventfd can be made (descriptors exhausted): the caller then polls.</summary>
    public static DescriptorWait? Create()
    {
        var fd = LibC.EventFd(0, LibC.O_CLOEXEC | LibC.O_NONBLOCK);
        return fd < 0 ? null : new DescriptorWait(fd);
    }

    /// <summary>True when <paramref name="fd"/> became ready (or failed: the caller's next call on it says how); false after the timeout or on cancellation.</summary>
    public bool Wait(int fd, short events, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.UnsafeRegister(static state => ((DescriptorWait)state!).Signal(), this);
        if (cancellationToken.IsCancellationRequested)
            return false;
        var fds = stackalloc LibC.PollFd[2];
        fds[0] = new LibC.PollFd { Fd = fd, Events = events };
        fds[1] = new LibC.PollFd { Fd = _eventFd, Events = LibC.POLLIN };
        var milliseconds = timeout == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 0, int.MaxValue);
        var ready = LibC.Poll(fds, 2, milliseconds);
        if (ready < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EINTR)
                return true; // A signal, not a timeout: the caller looks and waits again.
            throw new IOException($"poll() on a log's descriptor failed: {LibC.Describe(errno)}");
        }

        if ((fds[1].Revents & LibC.POLLIN) != 0)
        {
            ulong count;
            _ = LibC.Read(_eventFd, (byte*)&count, sizeof(ulong));
        }

        return fds[0].Revents != 0;
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _eventFd, -1);
        if (fd >= 0)
            LibC.Close(fd);
    }

    private void Signal()
    {
        ulong one = 1;
        _ = LibC.Write(_eventFd, (byte*)&one, sizeof(ulong));
    }
}

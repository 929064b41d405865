using System.Runtime.InteropServices;

namespace NodeHealth.NodeHost.Kernel;

/// <summary>The few libc calls /dev/kmsg and the log readers' waits need: .NET's FileStream cannot seek kmsg or wait on a descriptor.</summary>
internal static unsafe partial class LibC
{
    public const int O_RDONLY = 0;
    /// <summary>Also EFD_NONBLOCK and IN_NONBLOCK, which Linux defines as the same bit.</summary>
    public const int O_NONBLOCK = 0x800;
    /// <summary>Also EFD_CLOEXEC and IN_CLOEXEC, which Linux defines as the same bit.</summary>
    public const int O_CLOEXEC = 0x80000;
    public const short POLLIN = 0x1;
    public const int SEEK_END = 2;

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EPIPE = 32;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    public static partial long Seek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    public static string Describe(int errno) => errno switch
    {
        EACCES or EPERM => $"{Marshal.GetPInvokeErrorMessage(errno)}: reading the kernel log needs root or CAP_SYSLOG (kernel.dmesg_restrict is set)",
        ENOENT => $"{Marshal.GetPInvokeErrorMessage(errno)}: no such device on this host",
        _ => Marshal.GetPInvokeErrorMessage(errno),
    };
}

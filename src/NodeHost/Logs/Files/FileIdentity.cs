using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NodeHealth.NodeHost.Logs.Files;

/// <summary>Which file a path or an open handle is (its inode) and how long it is; .NET exposes no inode itself.</summary>
public sealed record FileIdentity(ulong Inode, long Size);

/// <summary>statx(2): unlike struct stat, its layout is the same on every architecture (x86-64 and arm64 nodes).</summary>
internal static unsafe partial class FileStat
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxIno = 0x100;
    private const uint StatxSize = 0x200;
    private const int StatxBytes = 256;
    private const int InodeOffset = 32;
    private const int SizeOffset = 40;

    /// <summary>Null when nothing is at the path (or it cannot be looked at).</summary>
    public static FileIdentity? OfPath(string path) => Statx(AtFdCwd, path, 0);

    public static FileIdentity OfHandle(SafeFileHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath)
                ?? throw new IOException($"statx on an open log file failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    private static FileIdentity? Statx(int directory, string path, int flags)
    {
        Span<byte> buffer = stackalloc byte[StatxBytes];
        fixed (byte* statx = buffer)
        {
            if (NativeStatx(directory, path, flags, StatxIno | StatxSize, statx) != 0)
                return null;
        }

        return new FileIdentity(BinaryPrimitives.ReadUInt64LittleEndian(buffer[InodeOffset..]), (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer[SizeOffset..]));
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeStatx(int directory, string path, int flags, uint mask, byte* statx);
}

using System.Runtime.InteropServices;

namespace NodeHealth.NodeHost.Logs.Files;

/// <summary>The inotify(7) calls a log file's watch needs; .NET's FileSystemWatcher would add a thread and watch whole directories' writes.</summary>
internal static unsafe partial class Inotify
{
    public const uint Modify = 0x2;
    public const uint MovedFrom = 0x40;
    public const uint MovedTo = 0x80;
    public const uint Create = 0x100;
    public const uint Delete = 0x200;
    public const uint DeleteSelf = 0x400;
    public const uint MoveSelf = 0x800;
    public const uint Ignored = 0x8000;
    public const uint OnlyDirectory = 0x01000000;

    /// <summary>struct inotify_event: wd, mask, cookie, len, then len bytes of name.</summary>
    public const int EventHeaderBytes = 16;

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    public static partial int Init(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddWatch(int fd, string path, uint mask);

    [LibraryImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
    public static partial int RemoveWatch(int fd, int watch);
}

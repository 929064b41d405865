using System.Buffers.Binary;
using NodeHealth.NodeHost.Kernel;

namespace NodeHealth.NodeHost.Logs.Files;

/// <summary>
/// Wakes a log file's reader when the file is written or something is created, moved or deleted in its directory
/// (and, for a symlink, in its target's): inotify, so an idle file costs no wake-ups. inotify misses writes made on
/// another host (NFS) and through mmap, so a slow <see cref="SafetyPoll"/> still looks; without a watch (no
/// inotify instances left, no directory yet) it polls as often as the caller says.
/// </summary>
internal sealed unsafe class LogFileWatch : IDisposable
{
    public static readonly TimeSpan SafetyPoll = TimeSpan.FromSeconds(10);
    private const uint FileEvents = Inotify.Modify | Inotify.MoveSelf | Inotify.DeleteSelf;
    private const uint DirectoryEvents = Inotify.Create | Inotify.MovedTo | Inotify.MovedFrom | Inotify.Delete | Inotify.DeleteSelf | Inotify.MoveSelf | Inotify.OnlyDirectory;

    private readonly string _path;
    private readonly Dictionary<string, int> _directories = [];
    private readonly byte[] _events = new byte[4096];
    private DescriptorWait? _wait;
    private int _inotify = -1;
    private int _fileWatch = -1;
    private ulong _watchedInode;
    private bool _watching;

    public LogFileWatch(string path)
    {
        _path = path;
        _wait = DescriptorWait.Create();
        _inotify = _wait is null ? -1 : Inotify.Init(LibC.O_NONBLOCK | LibC.O_CLOEXEC);
    }

    /// <summary>Whether a change at the path wakes the reader (its directory is watched), rather than the next poll.</summary>
    public bool Watching => _inotify >= 0 && _watching;

    /// <summary>
    /// Returns when the file may have changed, after <paramref name="timeout"/>, or on cancellation. A watch added
    /// now could have missed a change made just before it, so adding one returns at once: the caller looks again.
    /// </summary>
    public void Wait(TimeSpan timeout, TimeSpan pollWithoutWatch, CancellationToken cancellationToken)
    {
        if (_inotify < 0 || _wait is null)
        {
            cancellationToken.WaitHandle.WaitOne(Min(timeout, pollWithoutWatch));
            return;
        }

        if (Arm())
            return;
        if (_wait.Wait(_inotify, LibC.POLLIN, Min(timeout, Watching ? SafetyPoll : pollWithoutWatch), cancellationToken))
            Drain();
    }

    public void Dispose()
    {
        var inotify = Interlocked.Exchange(ref _inotify, -1);
        if (inotify >= 0)
            LibC.Close(inotify);
        Interlocked.Exchange(ref _wait, null)?.Dispose();
    }

    /// <summary>Watches the directories and the file now at the path; true when it added a watch.</summary>
    private bool Arm()
    {
        var added = WatchDirectory(DirectoryOf(_path));
        var atPath = FileStat.OfPath(_path);
        added |= WatchFile(atPath);
        _watching = _directories.ContainsKey(DirectoryOf(_path)) && (atPath is null || atPath.Inode == _watchedInode);
        return added;
    }

    private bool WatchFile(FileIdentity? atPath)
    {
        // Nothing at the path (renamed away, not yet created again): the old file may still be written, keep watching it.
        if (atPath is null || atPath.Inode == _watchedInode && _fileWatch >= 0)
            return false;
        if (_fileWatch >= 0)
            Inotify.RemoveWatch(_inotify, _fileWatch); // Fails harmlessly when the old file is gone (its watch went with it).
        _fileWatch = -1;
        _watchedInode = 0;
        var watch = Inotify.AddWatch(_inotify, _path, FileEvents);
        if (watch < 0)
            return false;
        _fileWatch = watch;
        _watchedInode = atPath.Inode;
        // A symlinked log (a container's, a ConfigMap's) is rotated where it really lives: watch there too.
        if (Target(_path) is { } target)
            WatchDirectory(DirectoryOf(target));
        return true;
    }

    /// <summary>True when a new watch was added: two names of one directory (a symlinked one) share a watch.</summary>
    private bool WatchDirectory(string directory)
    {
        if (_directories.ContainsKey(directory))
            return false;
        var watch = Inotify.AddWatch(_inotify, directory, DirectoryEvents);
        if (watch < 0)
            return false;
        var known = _directories.ContainsValue(watch);
        _directories[directory] = watch;
        return !known;
    }

    /// <summary>Reads the queued events; a watch the kernel dropped (its file or directory deleted) is added again by the next wait.</summary>
    private void Drain()
    {
        while (true)
        {
            nint count;
            fixed (byte* buffer = _events)
                count = LibC.Read(_inotify, buffer, _events.Length);
            if (count <= 0)
                return;
            for (var offset = 0; offset + Inotify.EventHeaderBytes <= count;)
            {
                var watch = BinaryPrimitives.ReadInt32LittleEndian(_events.AsSpan(offset));
                var mask = BinaryPrimitives.ReadUInt32LittleEndian(_events.AsSpan(offset + 4));
                var nameBytes = BinaryPrimitives.ReadInt32LittleEndian(_events.AsSpan(offset + 12));
                if ((mask & Inotify.Ignored) != 0)
                    Forget(watch);
                offset += Inotify.EventHeaderBytes + nameBytes;
            }
        }
    }

    private void Forget(int watch)
    {
        if (watch == _fileWatch)
        {
            _fileWatch = -1;
            _watchedInode = 0;
        }

        foreach (var (directory, _) in _directories.Where(d => d.Value == watch).ToList())
            _directories.Remove(directory);
    }

    private static string? Target(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string DirectoryOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

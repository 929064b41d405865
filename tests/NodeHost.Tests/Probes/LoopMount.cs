using System.Diagnostics;

namespace NodeHealth.NodeHost.Tests.Probes;

/// <summary>Runs only as root: mounting a loop device needs it (CI runs as root in a VM).</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
            Skip = "needs root to mount a loop-device filesystem (run the tests as root, as CI does)";
    }
}

/// <summary>Runs only as root on a machine with xfsprogs (Debian's xfsprogs package).</summary>
public sealed class XfsFactAttribute : FactAttribute
{
    public XfsFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
            Skip = "needs root to mount a loop-device filesystem";
        else if (!File.Exists("/usr/sbin/xfs_db") || !File.Exists("/usr/sbin/mkfs.xfs"))
            Skip = "needs xfsprogs (apt-get install xfsprogs) for a real XFS";
    }
}

/// <summary>A small real ext4 (errors=remount-ro) or XFS filesystem on a loop device, always unmounted and detached again.</summary>
public sealed class LoopMount : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nh-loop-" + Guid.NewGuid().ToString("N")[..8]);
    private bool _mounted;

    public LoopMount(string fileSystem = "ext4")
    {
        var image = Path.Combine(_root, "fs.img");
        MountPoint = Path.Combine(_root, "mnt");
        Directory.CreateDirectory(MountPoint);
        // mkfs.xfs refuses filesystems under 300 MiB; the file is sparse.
        Run("truncate", "-s", fileSystem == "xfs" ? "320M" : "4M", image);
        Run($"mkfs.{fileSystem}", "-q", fileSystem == "xfs" ? "-f" : "-F", image);
        Device = Run("losetup", "--find", "--show", image).Trim();
        Run("mount", "-o", fileSystem == "ext4" ? "errors=remount-ro" : "defaults", Device, MountPoint);
        _mounted = true;
    }

    public string MountPoint { get; }

    /// <summary>/dev/loopN.</summary>
    public string Device { get; }

    public string DeviceName => Path.GetFileName(Device);

    public void RemountReadOnly() => Run("mount", "-o", "remount,ro", MountPoint);

    public void RemountWritable() => Run("mount", "-o", "remount,rw", MountPoint);

    /// <summary>ext4's own error path (as after an I/O error): the kernel makes the filesystem read-only under the read-write mount.</summary>
    public void TriggerFilesystemError() => File.WriteAllText($"/sys/fs/ext4/{DeviceName}/trigger_fs_error", "node-health test\n");

    public void Unmount()
    {
        if (!_mounted)
            return;
        Run("umount", MountPoint);
        _mounted = false;
    }

    public void Dispose()
    {
        try
        {
            if (_mounted)
                Run("umount", "-l", MountPoint);
        }
        finally
        {
            try
            {
                Run("losetup", "-d", Device);
            }
            catch (InvalidOperationException)
            {
                // Already detached (autoclear after the unmount).
            }
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
    }
}

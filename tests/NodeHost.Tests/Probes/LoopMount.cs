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

/// <summary>A small real ext4 filesystem on a loop device (errors=remount-ro), always unmounted and detached again.</summary>
public sealed class LoopMount : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nh-loop-" + Guid.NewGuid().ToString("N")[..8]);
    private bool _mounted;

    public LoopMount()
    {
        var image = Path.Combine(_root, "fs.img");
        MountPoint = Path.Combine(_root, "mnt");
        Directory.CreateDirectory(MountPoint);
        Run("truncate", "-s", "4M", image);
        Run("mkfs.ext4", "-q", "-F", image);
        Device = Run("losetup", "--find", "--show", image).Trim();
        Run("mount", "-o", "errors=remount-ro", Device, MountPoint);
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

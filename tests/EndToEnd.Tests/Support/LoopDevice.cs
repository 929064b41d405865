using System.Diagnostics;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>
/// A real ext4 filesystem on a loop device under a scratch directory, mounted read-write; always unmounted and
/// its loop device detached again, whatever the test did.
/// </summary>
public sealed class LoopDevice : IDisposable
{
    private readonly string _root = Paths.TempDirectory("nh-loopdev");

    public LoopDevice()
    {
        var image = Path.Combine(_root, "fs.img");
        MountPoint = Path.Combine(_root, "mnt");
        Directory.CreateDirectory(MountPoint);
        Run("truncate", "-s", "4M", image);
        Run("mkfs.ext4", "-q", "-F", image);
        Device = Run("losetup", "--find", "--show", image).Trim();
        // errors=remount-ro: an ext4 error makes the kernel turn it read-only, as on a failing disk.
        Run("mount", "-o", "errors=remount-ro", Device, MountPoint);
    }

    public string MountPoint { get; }

    public string Device { get; }

    /// <summary>The name the kernel log and the storage monitor give it (loopN).</summary>
    public string Name => Path.GetFileName(Device);

    /// <summary>An administrator's `mount -o remount,ro`: the filesystem and the mount both become read-only (not a forced error).</summary>
    public void RemountReadOnly() => Run("mount", "-o", "remount,ro", MountPoint);

    public void RemountWritable() => Run("mount", "-o", "remount,rw", MountPoint);

    /// <summary>
    /// ext4's own error path (what an I/O error on a failing disk runs): it logs "EXT4-fs (loopN): Remounting
    /// filesystem read-only" and the kernel turns the filesystem read-only under the still read-write mount.
    /// </summary>
    public void TriggerFilesystemError() => File.WriteAllText($"/sys/fs/ext4/{Name}/trigger_fs_error", "node-health end-to-end test\n");

    /// <summary>An ext4 the kernel made read-only is not made writable by a remount; it is unmounted (and checked) instead.</summary>
    public void Unmount() => Run("umount", MountPoint);

    public void Dispose()
    {
        try
        {
            Run("umount", "-l", MountPoint);
        }
        catch (InvalidOperationException)
        {
            // Not mounted any more.
        }
        try
        {
            Run("losetup", "-d", Device);
        }
        catch (InvalidOperationException)
        {
            // Already detached.
        }
        Directory.Delete(_root, recursive: true);
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

using System.Diagnostics;

namespace NodeHealth.Actors.Tests.Agent;

/// <summary>Runs only as root: mounting a loop device needs it (CI runs as root in a VM).</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
            Skip = "needs root to mount a loop-device filesystem (run the tests as root, as CI does)";
    }
}

/// <summary>A tiny real ext4 filesystem on a loop device, to fill up or remount read-only under a running agent.</summary>
public sealed class LoopFilesystem : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nh-loopfs-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _image;

    public LoopFilesystem(string size = "2M")
    {
        _image = Path.Combine(_root, "fs.img");
        MountPoint = Path.Combine(_root, "mnt");
        Directory.CreateDirectory(MountPoint);
        Run("truncate", "-s", size, _image);
        Run("mkfs.ext4", "-q", "-F", _image);
        Run("mount", "-o", "loop", _image, MountPoint);
    }

    public string MountPoint { get; }

    private string Filler => Path.Combine(MountPoint, "filler");

    /// <summary>Writes a file until the filesystem has no space left.</summary>
    public void Fill()
    {
        var chunk = new byte[4096];
        using var filler = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
                filler.Write(chunk);
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }
    }

    public void Free() => File.Delete(Filler);

    /// <summary>Retried briefly: a remount is refused (busy) while a file is open for writing.</summary>
    public void RemountReadOnly()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Run("mount", "-o", "remount,ro", MountPoint);
                return;
            }
            catch (InvalidOperationException) when (attempt < 50)
            {
                Thread.Sleep(20);
            }
        }
    }

    public void RemountWritable() => Run("mount", "-o", "remount,rw", MountPoint);

    public void Dispose()
    {
        Run("umount", "-l", MountPoint);
        Directory.Delete(_root, recursive: true);
    }

    private static void Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
    }
}

namespace NodeHealth.Actors.Tests.Agent.Networking;

/// <summary>A host root in a temporary directory holding recorded /sys and /proc files, read by the real host-file reader.</summary>
public sealed class SysfsTree : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "host-" + Guid.NewGuid().ToString("N"));

    public SysfsTree Write(string path, string content)
    {
        var file = Path.Combine(Root, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return this;
    }

    public SysfsTree Directory_(string path)
    {
        Directory.CreateDirectory(Path.Combine(Root, path.TrimStart('/')));
        return this;
    }

    /// <summary>An interface as the kernel shows it: flags in hex with a newline, operstate, MAC.</summary>
    public SysfsTree Interface(string name, string flags, string operState, string mac = "52:54:00:12:34:56") =>
        Write($"/sys/class/net/{name}/flags", flags + "\n").Write($"/sys/class/net/{name}/operstate", operState + "\n").Write($"/sys/class/net/{name}/address", mac + "\n");

    public void Dispose()
    {
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}

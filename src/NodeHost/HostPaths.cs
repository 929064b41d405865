namespace NodeHealth.NodeHost;

/// <summary>Host files are read under HOST_ROOT (the DaemonSet mounts the host at e.g. /host); "/" on a plain machine.</summary>
public sealed record HostPaths(string Root)
{
    public static HostPaths FromEnvironment() => new(Environment.GetEnvironmentVariable("HOST_ROOT") is { Length: > 0 } root ? root : "/");

    public string Resolve(string absolutePath) =>
        Root == "/" ? absolutePath : Path.Combine(Root, absolutePath.TrimStart('/'));

    /// <summary>The kernel's id of the current boot; null when it cannot be read.</summary>
    public string? BootId()
    {
        try
        {
            return File.ReadAllText(Resolve("/proc/sys/kernel/random/boot_id")).Trim() is { Length: > 0 and <= 64 } id ? id : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

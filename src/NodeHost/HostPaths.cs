namespace NodeHealth.NodeHost;

/// <summary>Host files are read under HOST_ROOT (the DaemonSet mounts the host at e.g. /host); "/" on a plain machine.</summary>
public sealed record HostPaths(string Root)
{
    public static HostPaths FromEnvironment() => new(Environment.GetEnvironmentVariable("HOST_ROOT") is { Length: > 0 } root ? root : "/");

    public string Resolve(string absolutePath) =>
        Root == "/" ? absolutePath : Path.Combine(Root, absolutePath.TrimStart('/'));
}

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>
/// A network namespace with a veth pair, seen as a host root: its own sysfs is mounted at Root/sys (mounted
/// from inside the namespace, so /sys/class/net lists only its interfaces), and Root/dev and Root/proc lead to
/// the real ones, so an agent with HOST_ROOT=Root watches these interfaces while it runs, and reaches its
/// coordinator, in the machine's own namespace. Everything is removed when disposed, pass or fail;
/// scripts/test removes namespaces named <see cref="Prefix"/>* left by a killed test host.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    public const string Prefix = "nh-e2e-";

    private NetworkNamespace(string name, string root, string left, string right)
    {
        Name = name;
        Root = root;
        Left = left;
        Right = right;
    }

    public string Name { get; }

    /// <summary>The HOST_ROOT to give the agent.</summary>
    public string Root { get; }

    /// <summary>The two ends of the veth pair, both in the namespace.</summary>
    public string Left { get; }

    public string Right { get; }

    public static NetworkNamespace Create(string run)
    {
        var name = Prefix + run;
        var root = Paths.TempDirectory("nh-root");
        var space = new NetworkNamespace(name, root, $"va-{run}", $"vb-{run}");
        try
        {
            HostCommand.Run("ip", "netns", "add", name);
            HostCommand.Run("ip", "-n", name, "link", "add", space.Left, "type", "veth", "peer", "name", space.Right);
            foreach (var link in new[] { "lo", space.Left, space.Right })
                HostCommand.Run("ip", "-n", name, "link", "set", link, "up");
            Directory.CreateDirectory(Path.Combine(root, "sys"));
            HostCommand.Run("nsenter", $"--net=/run/netns/{name}", "mount", "-t", "sysfs", "sysfs", Path.Combine(root, "sys"));
            Directory.CreateSymbolicLink(Path.Combine(root, "dev"), "/dev");
            Directory.CreateSymbolicLink(Path.Combine(root, "proc"), "/proc");
            return space;
        }
        catch
        {
            space.Dispose();
            throw;
        }
    }

    /// <summary>`ip link set <paramref name="link"/> up|down` inside the namespace.</summary>
    public void Set(string link, bool up) => HostCommand.Run("ip", "-n", Name, "link", "set", link, up ? "up" : "down");

    /// <summary>The interface's MAC address, as the agent's message names it.</summary>
    public string Mac(string link) => File.ReadAllText(Path.Combine(Root, "sys", "class", "net", link, "address")).Trim();

    public void Dispose()
    {
        HostCommand.TryRun("umount", Path.Combine(Root, "sys"));
        HostCommand.TryRun("ip", "netns", "del", Name);
        try
        {
            Directory.Delete(Root, recursive: true); // Only the symbolic links go, never what they point to.
        }
        catch (IOException)
        {
        }
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.Actors.Agent.Networking;

/// <summary>
/// One interface as /sys/class/net shows it. <paramref name="Flags"/> are the kernel's IFF_* bits of the
/// `flags` file (IFF_RUNNING is not among them: it is up plus operstate up or unknown, as the kernel derives it).
/// <paramref name="EmptyBridge"/>: a bridge with no ports, which has no carrier by design.
/// </summary>
public sealed record NetInterface(string Name, uint Flags, string OperState, string Mac, bool EmptyBridge = false)
{
    public const uint Up = 0x1;
    public const uint Broadcast = 0x2;
    public const uint Loopback = 0x8;
    public const uint Multicast = 0x1000;

    public bool IsUp => (Flags & Up) != 0;

    public bool IsLoopback => (Flags & Loopback) != 0;

    /// <summary>The kernel's IFF_RUNNING: administratively up and operationally up (or unknown, as loopback and many virtual devices say).</summary>
    public bool IsRunning => IsUp && OperState is "up" or "unknown";

    /// <summary>Parses the `flags` file ("0x1003"); null when it is not a hexadecimal number.</summary>
    public static uint? ParseFlags(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            trimmed = trimmed[2..];
        return uint.TryParse(trimmed, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var flags) ? flags : null;
    }
}

/// <summary>
/// InterfaceNotUp, InterfaceNotRunning and MissingLoopbackInterface from one look at the interfaces, pure.
/// Skipped as EKS skips them: names starting with docker, the exclusion patterns (by default tunnels and
/// InfiniBand), and non-loopback interfaces without both broadcast and multicast (dummy devices such as
/// nodelocaldns and kube-ipvs0). Unlike EKS, every failing interface is reported (EKS only the first per
/// poll), and an empty bridge is not "not running" (EKS's false positive on port-less bridges).
/// </summary>
public static class InterfaceCheck
{
    public static IReadOnlyList<string> DefaultExclusions { get; } =
    [
        "^gre[0-9]+$", "^gretap[0-9]+$", "^erspan[0-9]+$", "^ip6gre[0-9]+$", "^ip6gretap[0-9]+$", "^tunl[0-9]+$",
        "^sit[0-9]+$", "^ip6tnl[0-9]+$", "^ib[0-9]+$", "^ibp[0-9]+s[0-9]+(f[0-9]+)?$",
    ];

    public static IReadOnlyList<ProbeFailure> Failures(IReadOnlyList<NetInterface> interfaces, IReadOnlyList<Regex> exclusions)
    {
        var failures = new List<ProbeFailure>();
        if (!interfaces.Any(i => i.IsLoopback))
            failures.Add(new ProbeFailure("MissingLoopbackInterface", null,
                $"no network interface has the loopback flag (interfaces: {(interfaces.Count == 0 ? "none" : string.Join(", ", interfaces.Select(i => i.Name)))})"));

        foreach (var i in interfaces.Where(i => Watched(i, exclusions)))
        {
            if (!i.IsUp)
                failures.Add(new ProbeFailure("InterfaceNotUp", i.Name, $"interface {i.Name} ({i.Mac}) is not up (operstate {i.OperState})"));
            else if (!i.IsRunning && !i.EmptyBridge)
                failures.Add(new ProbeFailure("InterfaceNotRunning", i.Name, $"interface {i.Name} ({i.Mac}) is up but not running (operstate {i.OperState}, no carrier)"));
        }

        return failures;
    }

    private static bool Watched(NetInterface i, IReadOnlyList<Regex> exclusions) =>
        !i.Name.StartsWith("docker", StringComparison.Ordinal)
        && !exclusions.Any(e => e.IsMatch(i.Name))
        && (i.IsLoopback || (i.Flags & NetInterface.Broadcast) != 0 && (i.Flags & NetInterface.Multicast) != 0);
}

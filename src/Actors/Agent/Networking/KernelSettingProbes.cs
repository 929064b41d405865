using System.Globalization;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Networking;

/// <summary>NetworkSysctl: IPv4 forwarding must be on, or pod traffic is not routed.</summary>
public sealed class IpForwardProbe(IHostFiles host, TimeSpan interval) : IProbe
{
    public const string Path = "/proc/sys/net/ipv4/ip_forward";

    public string Name => "sysctl";

    public ConditionType Condition => ConditionType.NetworkingReady;

    public TimeSpan Interval { get; } = interval;

    public string Description => $"{Path} under {host.Root}";

    public ProbeOutcome Poll() =>
        host.ReadText(Path) is { } text ? new ProbeOutcome.Checked(Check(text)) : new ProbeOutcome.Absent($"{Path} does not exist under {host.Root} (no IPv4)");

    public static IReadOnlyList<ProbeFailure> Check(string ipForward) =>
        ipForward.Trim() == "1"
            ? []
            : [new ProbeFailure("NetworkSysctl", "net.ipv4.ip_forward", $"net.ipv4.ip_forward is {ipForward.Trim()}, not 1: pod traffic is not forwarded")];
}

/// <summary>ConntrackTableNearlyFull: the connection tracking table is 90 % full, before the kernel starts dropping packets.</summary>
public sealed class ConntrackProbe(IHostFiles host, TimeSpan interval) : IProbe
{
    public const string CountPath = "/proc/sys/net/netfilter/nf_conntrack_count";
    public const string MaxPath = "/proc/sys/net/netfilter/nf_conntrack_max";
    public const double NearlyFull = 0.9;

    public string Name => "conntrack";

    public ConditionType Condition => ConditionType.NetworkingReady;

    public TimeSpan Interval { get; } = interval;

    public string Description => $"{CountPath} and nf_conntrack_max under {host.Root}";

    public ProbeOutcome Poll()
    {
        if (host.ReadText(CountPath) is not { } count || host.ReadText(MaxPath) is not { } max)
            return new ProbeOutcome.Absent("nf_conntrack is not loaded (no /proc/sys/net/netfilter/nf_conntrack_count)");
        return new ProbeOutcome.Checked(Check(Number(CountPath, count), Number(MaxPath, max)));
    }

    public static IReadOnlyList<ProbeFailure> Check(long count, long max) =>
        max > 0 && count >= NearlyFull * max
            ? [new ProbeFailure("ConntrackTableNearlyFull", null,
                $"connection tracking table {100.0 * count / max:0} % full ({count} of {max} entries); packets are dropped when it is full")]
            : [];

    private long Number(string path, string text) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ProbeUnavailableException($"{path} under {host.Root} holds '{text.Trim()}', not a number");
}

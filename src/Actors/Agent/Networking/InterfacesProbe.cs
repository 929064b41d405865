using System.Text.RegularExpressions;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Networking;

/// <summary>
/// Reads every interface's flags, operstate and MAC from /sys/class/net (cheap: a few small files per
/// interface, so it can poll every couple of seconds; EKS polls netlink every 5 minutes and needs two polls).
/// </summary>
public sealed class InterfacesProbe(IHostFiles host, TimeSpan interval, IReadOnlyList<Regex> exclusions) : IProbe
{
    private const string NetClass = "/sys/class/net";

    public string Name => "interfaces";

    public ConditionType Condition => ConditionType.NetworkingReady;

    public TimeSpan Interval { get; } = interval;

    public string Description => $"{NetClass} under {host.Root}";

    public ProbeOutcome Poll() => new ProbeOutcome.Checked(InterfaceCheck.Failures(Read(), exclusions));

    public IReadOnlyList<NetInterface> Read()
    {
        var names = host.List(NetClass) ?? throw new ProbeUnavailableException($"{NetClass} does not exist under {host.Root}: sysfs is not mounted there");
        var interfaces = new List<NetInterface>(names.Count);
        foreach (var name in names)
        {
            // An interface removed between the listing and the read is simply gone.
            if (host.ReadText($"{NetClass}/{name}/flags") is not { } flagsText || host.ReadText($"{NetClass}/{name}/operstate") is not { } operState)
                continue;
            var flags = NetInterface.ParseFlags(flagsText)
                ?? throw new ProbeUnavailableException($"{NetClass}/{name}/flags under {host.Root} holds '{Clip(flagsText)}', not a hexadecimal number");
            var mac = host.ReadText($"{NetClass}/{name}/address")?.Trim() is { Length: > 0 } address ? address : "no MAC";
            var emptyBridge = host.List($"{NetClass}/{name}/brif") is { Count: 0 };
            interfaces.Add(new NetInterface(name, flags, operState.Trim(), mac, emptyBridge));
        }

        return interfaces;
    }

    private static string Clip(string text) => text.Length <= 32 ? text.Trim() : text[..32] + "…";
}

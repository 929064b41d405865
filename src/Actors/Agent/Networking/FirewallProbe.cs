using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Networking;

/// <summary>UnexpectedRejectRule and PortConflict from `iptables-save` and `ip6tables-save`; absent where neither tool is installed.</summary>
public sealed class FirewallProbe(IHostCommands commands, TimeSpan interval, IReadOnlySet<string> allowedChains) : IProbe
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    public string Name => "iptables";

    public ConditionType Condition => ConditionType.NetworkingReady;

    public TimeSpan Interval { get; } = interval;

    public string Description => "iptables-save and ip6tables-save";

    public ProbeOutcome Poll()
    {
        var rules = new List<FirewallRule>();
        var ran = 0;
        foreach (var (family, tool) in new[] { ("IPv4", "iptables-save"), ("IPv6", "ip6tables-save") })
        {
            if (commands.Run(tool, [], CommandTimeout) is not { } result)
                continue;
            if (result.ExitCode != 0)
                throw new ProbeUnavailableException($"{tool} exited with {result.ExitCode}");
            ran++;
            rules.AddRange(FirewallCheck.Parse(family, result.Output));
        }

        return ran == 0
            ? new ProbeOutcome.Absent("neither iptables-save nor ip6tables-save is installed")
            : new ProbeOutcome.Checked(FirewallCheck.Failures(rules, allowedChains));
    }
}

using System.Text.RegularExpressions;
using Akka.Actor;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Agent.Networking;

/// <summary>
/// How often the networking probes poll and which interfaces they leave alone. <see cref="ExcludedInterfaces"/>
/// are regular expressions over interface names (default: EKS's tunnels and InfiniBand; empty: watch all).
/// </summary>
public sealed record NetworkingSettings
{
    /// <summary>
    /// Two polls (the catalog's occurrences) within 6 s: a downed interface is reported within the promised 10 s with
    /// room for a loaded node (EKS: two 5-minute polls). Was 2 s; 3 s saves a third of the polls (issue 12).
    /// </summary>
    public TimeSpan InterfacesEvery { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan SysctlEvery { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan ConntrackEvery { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan EnaEvery { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan EfaEvery { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan FirewallEvery { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>"table/chain" pairs whose REJECT and DROP rules are expected (EKS's allowedIPTablesChains), e.g. "filter/MY-FIREWALL".</summary>
    public IReadOnlySet<string> AllowedFirewallChains { get; init; } = new HashSet<string>();
    public IReadOnlyList<string> ExcludedInterfaces { get; init; } = InterfaceCheck.DefaultExclusions;
    public ProbeMonitorSettings Monitor { get; init; } = new();
}

/// <summary>The NetworkingReady monitor: a <see cref="ProbeMonitor"/> over the networking probes, reading the host under HOST_ROOT.</summary>
public static class NetworkingMonitor
{
    public static IReadOnlyList<IProbe> Probes(IHostFiles host, IHostCommands commands, NetworkingSettings settings, TimeProvider clock) =>
    [
        new InterfacesProbe(host, settings.InterfacesEvery, Exclusions(settings.ExcludedInterfaces)),
        new IpForwardProbe(host, settings.SysctlEvery),
        new ConntrackProbe(host, settings.ConntrackEvery),
        new EnaAllowanceProbe(host, commands, settings.EnaEvery, clock),
        new EfaProbe(host, settings.EfaEvery, clock),
        new FirewallProbe(commands, settings.FirewallEvery, settings.AllowedFirewallChains),
    ];

    public static Props Props(IHostFiles host, IHostCommands commands, ReasonCatalog catalog, IActorRef uplink, TimeProvider clock, NetworkingSettings settings)
    {
        var probes = Probes(host, commands, settings, clock);
        return Akka.Actor.Props.Create(() => new ProbeMonitor(probes, catalog, uplink, clock, settings.Monitor));
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the pattern that is not a valid regular expression.</summary>
    public static IReadOnlyList<Regex> Exclusions(IReadOnlyList<string> patterns) =>
    [
        .. patterns.Select(p =>
        {
            try
            {
                return new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Excluded interface pattern '{p}' is not a valid regular expression: {e.Message}", e);
            }
        }),
    ];
}

using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection.Accelerators;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Accelerators;

/// <summary>
/// DCGMHealthCode&lt;n&gt; from the host's `dcgmi health -c` (<see cref="DcgmHealthCheck"/>): Fatal on Failure, Warning on
/// Warning. Where dcgmi is installed but cannot get a report (nv-hostengine down, or dcgmi hangs past its deadline)
/// for longer than the grace period, DCGMError; before that the probe cannot vouch (its condition is Unknown).
/// Health watches that are not enabled are enabled once (`dcgmi health -s a`), as EKS does. Incidents name their GPU by
/// PCI bus id and UUID from `dcgmi discovery -l` (<see cref="DcgmEntities"/>), run only while there are incidents to
/// name: when none was read yet, every <see cref="DiscoveryEvery"/>, and when an incident names an entity it lacks.
/// </summary>
public sealed class DcgmProbe(IHostCommands commands, AcceleratorSettings settings, TimeProvider clock) : IProbe
{
    /// <summary>DCGM's ids change only when GPUs come or go (a driver reload, a hot-plug): a listing this old is read again.</summary>
    public static readonly TimeSpan DiscoveryEvery = TimeSpan.FromMinutes(10);

    private DateTimeOffset? _unreachableSince;
    private IReadOnlyList<ProbeFailure> _lastFailing = [];
    private DcgmEntities _entities = DcgmEntities.None;
    private DateTimeOffset? _discoverAfter;
    private HashSet<string> _lookedUp = [];

    public string Name => "dcgm";

    public ConditionType Condition => ConditionType.AcceleratedHardwareReady;

    public TimeSpan Interval => settings.DcgmEvery;

    public string Description => $"{settings.Dcgmi} {string.Join(' ', Arguments(DcgmHealthCheck.Command))}";

    public ProbeOutcome Poll()
    {
        CommandResult? report;
        try
        {
            report = commands.Run(settings.Dcgmi, Arguments(DcgmHealthCheck.Command), settings.CommandTimeout);
        }
        catch (HostCommandTimedOutException hung)
        {
            return Unreachable(hung.Message);
        }

        if (report is null)
        {
            _unreachableSince = null;
            return new ProbeOutcome.Absent($"{settings.Dcgmi} is not installed on the host");
        }
        if (report.Output.Contains("Health watches not enabled", StringComparison.Ordinal))
        {
            commands.Run(settings.Dcgmi, Arguments(DcgmHealthCheck.EnableWatches), settings.CommandTimeout);
            throw new ProbeUnavailableException($"DCGM health watches were not enabled; enabled them with `{settings.Dcgmi} health -s a` (the next check reports)");
        }
        if (report.ExitCode != 0 || DcgmHealthCheck.Parse(report.Output) is not { } incidents)
            return Unreachable($"{settings.Dcgmi} exited with {report.ExitCode}: {Clip(report.Output)}");

        _unreachableSince = null;
        _lastFailing = DcgmHealthCheck.Failures(incidents, EntitiesFor(incidents));
        return new ProbeOutcome.Checked(_lastFailing);
    }

    /// <summary>
    /// The entity map to name these incidents by, read again when due or when an incident names an entity it lacks that
    /// was not looked up since the last reading (a GPU DCGM never lists is not looked up every poll). A listing that
    /// cannot be had leaves the names DCGM's ("GPU 0") and is tried again at the next poll.
    /// </summary>
    private DcgmEntities EntitiesFor(IReadOnlyList<DcgmIncident> incidents)
    {
        if (incidents.Count == 0)
            return _entities;
        var now = clock.GetUtcNow();
        var named = incidents.Select(i => i.Entity).ToHashSet(StringComparer.Ordinal);
        if (now < _discoverAfter && named.All(e => _entities.Lists(e) || _lookedUp.Contains(e)))
            return _entities;

        var listed = Discover();
        foreach (var gpu in listed?.All.Where(e => e is { BusId: not null, Uuid: not null }) ?? [])
            settings.Gpus?.Learn(gpu.BusId!, gpu.Uuid!); // The kernel log then names these GPUs as DCGM does.
        _entities = listed ?? _entities;
        _discoverAfter = now + (listed is null ? settings.DcgmEvery / 2 : DiscoveryEvery);
        _lookedUp = named;
        return _entities;
    }

    private DcgmEntities? Discover()
    {
        try
        {
            return commands.Run(settings.Dcgmi, Arguments(DcgmEntities.Command), settings.CommandTimeout) is { ExitCode: 0 } listing
                ? DcgmEntities.Parse(listing.Output)
                : null;
        }
        catch (HostCommandTimedOutException)
        {
            return null; // The health check answered: its incidents are reported under DCGM's names rather than not at all.
        }
    }

    /// <summary>Within the grace period after DCGM stops answering the probe cannot vouch; after it, DCGMError, with the incidents DCGM last reported kept.</summary>
    private ProbeOutcome Unreachable(string why)
    {
        var now = clock.GetUtcNow();
        _unreachableSince ??= now;
        var down = now - _unreachableSince.Value;
        if (down < settings.DcgmGracePeriod)
            throw new ProbeUnavailableException($"DCGM does not answer ({why}); DCGMError after {settings.DcgmGracePeriod.TotalSeconds:0} s of this");
        // Not complete: DCGM said nothing of its health codes, so none may be taken as passed.
        return new ProbeOutcome.Checked([.. _lastFailing, new ProbeFailure(DcgmHealthCheck.Error, null,
            $"DCGM has not answered a health check for {down.TotalSeconds:0} s: {why}")]) { Complete = false };
    }

    private string[] Arguments(string[] command) =>
        settings.DcgmAddress is { Length: > 0 } address ? [.. command, "--host", address] : command;

    private static string Clip(string text) => text.Trim() is var t && t.Length > 300 ? t[..300] + "…" : t;
}

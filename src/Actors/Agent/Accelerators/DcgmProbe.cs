using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Accelerators;

/// <summary>
/// DCGMHealthCode&lt;n&gt; from the host's `dcgmi health -c` (<see cref="DcgmHealthCheck"/>): Fatal on Failure, Warning on
/// Warning. Where dcgmi is installed but cannot get a report (nv-hostengine down, or dcgmi hangs past its deadline)
/// for longer than the grace period, DCGMError; before that the probe cannot vouch (its condition is Unknown).
/// Health watches that are not enabled are enabled once (`dcgmi health -s a`), as EKS does.
/// </summary>
public sealed class DcgmProbe(IHostCommands commands, AcceleratorSettings settings, TimeProvider clock) : IProbe
{
    private DateTimeOffset? _unreachableSince;
    private IReadOnlyList<ProbeFailure> _lastFailing = [];

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
        _lastFailing = DcgmHealthCheck.Failures(incidents);
        return new ProbeOutcome.Checked(_lastFailing);
    }

    /// <summary>Within the grace period after DCGM stops answering the probe cannot vouch; after it, DCGMError, with the incidents DCGM last reported kept.</summary>
    private ProbeOutcome Unreachable(string why)
    {
        var now = clock.GetUtcNow();
        _unreachableSince ??= now;
        var down = now - _unreachableSince.Value;
        if (down < settings.DcgmGracePeriod)
            throw new ProbeUnavailableException($"DCGM does not answer ({why}); DCGMError after {settings.DcgmGracePeriod.TotalSeconds:0} s of this");
        return new ProbeOutcome.Checked([.. _lastFailing, new ProbeFailure(DcgmHealthCheck.Error, null,
            $"DCGM has not answered a health check for {down.TotalSeconds:0} s: {why}")]);
    }

    private string[] Arguments(string[] command) =>
        settings.DcgmAddress is { Length: > 0 } address ? [.. command, "--host", address] : command;

    private static string Clip(string text) => text.Trim() is var t && t.Length > 300 ? t[..300] + "…" : t;
}

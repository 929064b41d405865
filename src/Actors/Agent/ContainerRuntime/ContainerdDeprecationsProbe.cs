using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.ContainerRuntime;

/// <summary>DeprecatedContainerdConfiguration from the host's `ctr deprecations list` (containerd 1.7+); absent without ctr or that command.</summary>
public sealed class ContainerdDeprecationsProbe(IHostCommands host, TimeProvider clock, ContainerRuntimeSettings settings) : IProbe
{
    private const string Ctr = "/usr/bin/ctr";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    public string Name => "containerd-deprecations";

    public ConditionType Condition => ConditionType.ContainerRuntimeReady;

    public TimeSpan Interval => settings.DeprecationsInterval;

    public string Description => $"{Ctr} deprecations list";

    public ProbeOutcome Poll()
    {
        if (host.Run(Ctr, ["--address", settings.CriSocket, "deprecations", "list", "--format", "json"], CommandTimeout) is not { } result)
            return new ProbeOutcome.Absent($"the host has no {Ctr}");
        if (result.ExitCode != 0)
        {
            // containerd before 1.7 has no deprecations command: nothing to watch there.
            if (result.Output.Contains("deprecations", StringComparison.OrdinalIgnoreCase) && result.Output.Contains("No help topic", StringComparison.OrdinalIgnoreCase))
                return new ProbeOutcome.Absent("this containerd's ctr has no deprecations command (containerd before 1.7)");
            throw new ProbeUnavailableException($"ctr deprecations list exited with {result.ExitCode}: {First(result.Output)}");
        }
        try
        {
            return new ProbeOutcome.Checked(ContainerdDeprecations.Failures(ContainerdDeprecations.Parse(result.Output), clock.GetUtcNow().UtcDateTime));
        }
        catch (FormatException e)
        {
            throw new ProbeUnavailableException(e.Message, e);
        }
    }

    private static string First(string output) => output.Trim() is { Length: > 300 } long_ ? long_[..300] + "…" : output.Trim();
}

using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.ContainerRuntime;

/// <summary>
/// &lt;Unit&gt;RepeatedRestart from systemd's NRestarts of the kubelet, containerd and configured units, read with the
/// host's own `systemctl show` (it speaks to systemd over its private socket or D-Bus, whichever the host has).
/// </summary>
public sealed class UnitRestartsProbe(IHostCommands host, ContainerRuntimeSettings settings) : IProbe
{
    private static readonly string[] Systemctl = ["/usr/bin/systemctl", "/bin/systemctl"];
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);
    private readonly Dictionary<string, long> _before = new(StringComparer.Ordinal);

    public string Name => "unit-restarts";

    public ConditionType Condition => ConditionType.ContainerRuntimeReady;

    public TimeSpan Interval => settings.RestartsInterval;

    public string Description => $"systemctl show NRestarts of {string.Join(", ", Units)}";

    private IReadOnlyList<string> Units => [.. settings.RestartUnits.Select(UnitRestarts.ServiceName).Distinct(StringComparer.Ordinal)];

    public ProbeOutcome Poll()
    {
        CommandResult? result = null;
        foreach (var systemctl in Systemctl)
            if ((result = host.Run(systemctl, ["show", "--property=Id,LoadState,NRestarts", .. Units], CommandTimeout)) is not null)
                break;
        if (result is null)
            return new ProbeOutcome.Absent("the host has no systemctl");
        if (result.ExitCode != 0 && result.Output.Contains("has not been booted with systemd", StringComparison.Ordinal))
            return new ProbeOutcome.Absent("systemd is not the host's init system");
        if (result.ExitCode != 0)
            throw new ProbeUnavailableException($"systemctl show exited with {result.ExitCode}: {result.Output.Trim()}");

        var counts = UnitRestarts.Parse(result.Output);
        var failures = UnitRestarts.Failures(counts, _before);
        foreach (var unit in counts)
            _before[unit.Unit] = unit.Restarts;
        return new ProbeOutcome.Checked(failures);
    }
}

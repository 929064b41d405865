using NodeHealth.Actors.Agent.ContainerRuntime;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Agent.ContainerRuntime;

/// <summary>The restart probe over the host-command port, through the built-in catalog's {unit}RepeatedRestart family.</summary>
public sealed class UnitRestartsProbeTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 6, 0, 0, DateTimeKind.Utc);

    private static string Show(long kubelet, long custom) => $"""
        NRestarts={kubelet}
        Id=kubelet.service
        LoadState=loaded

        NRestarts=0
        Id=containerd.service
        LoadState=loaded

        NRestarts={custom}
        Id=my-custom-service.service
        LoadState=loaded

        """;

    [Fact]
    public void Repeated_restarts_of_kubelet_and_a_configured_unit_raise_their_concrete_reasons_once_per_streak()
    {
        var systemctl = new ScriptedSystemctl(Show(4, 7));
        var probe = new UnitRestartsProbe(systemctl, new ContainerRuntimeSettings { RestartUnits = ["kubelet", "containerd", "my-custom-service"] });
        var verdicts = new ProbeVerdicts(probe.Name, CatalogLoader.LoadBuiltIn().RulesFor("probe-unit-restarts"));

        var baseline = verdicts.Observe(Failing(probe.Poll()), T0);
        systemctl.Output = Show(6, 8);
        var restarted = verdicts.Observe(Failing(probe.Poll()), T0.AddMinutes(5));
        var calm = verdicts.Observe(Failing(probe.Poll()), T0.AddMinutes(10));

        Assert.True(baseline.IsEmpty);
        Assert.Equal(
            [("KubeletRepeatedRestart", "kubelet.service", Severity.Warning), ("My-Custom-ServiceRepeatedRestart", "my-custom-service.service", Severity.Warning)],
            restarted.Raised.Select(f => (f.Reason, f.Entity, f.Severity)).Order());
        Assert.All(restarted.Raised, f => Assert.Equal((ConditionType.ContainerRuntimeReady, "probe-unit-restarts"), (f.Condition, f.Source)));
        Assert.True(calm.IsEmpty);
        Assert.Equal(["show", "--property=Id,LoadState,NRestarts", "kubelet.service", "containerd.service", "my-custom-service.service"], systemctl.Arguments);
    }

    [Fact]
    public void A_host_without_systemctl_or_systemd_has_nothing_to_watch_and_a_failing_one_says_why()
    {
        var settings = new ContainerRuntimeSettings();
        var noSystemd = new ScriptedSystemctl("System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down") { ExitCode = 1 };
        var noBus = new ScriptedSystemctl("Failed to connect to bus: No such file or directory") { ExitCode = 1 };

        Assert.IsType<ProbeOutcome.Absent>(new UnitRestartsProbe(new ScriptedSystemctl(null), settings).Poll());
        Assert.Contains("systemd is not", Assert.IsType<ProbeOutcome.Absent>(new UnitRestartsProbe(noSystemd, settings).Poll()).Why);
        Assert.Contains("Failed to connect to bus", Assert.Throws<ProbeUnavailableException>(() => new UnitRestartsProbe(noBus, settings).Poll()).Message);
    }

    private static IReadOnlyList<ProbeFailure> Failing(ProbeOutcome outcome) => Assert.IsType<ProbeOutcome.Checked>(outcome).Failing;

    /// <summary>The host's systemctl as the host-command port returns it (null: not installed).</summary>
    private sealed class ScriptedSystemctl(string? output) : IHostCommands
    {
        public string? Output { get; set; } = output;

        public int ExitCode { get; init; }

        public IReadOnlyList<string> Arguments { get; private set; } = [];

        public CommandResult? Run(string tool, IReadOnlyList<string> arguments, TimeSpan timeout)
        {
            Assert.StartsWith("/", tool);
            Arguments = arguments;
            return Output is null ? null : new CommandResult(ExitCode, Output);
        }
    }
}

using NodeHealth.Actors.Agent.Accelerators;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Tests.Health;
using static NodeHealth.Actors.Tests.Agent.Accelerators.RecordedOutputs;

namespace NodeHealth.Actors.Tests.Agent.Accelerators;

/// <summary>The DCGM probe against a fake dcgmi (health and discovery replayed from recorded outputs), through the real process runner.</summary>
public sealed class DcgmProbeTests : IDisposable
{
    private const string Gpu0 = "0000:53:00/GPU-3d1e9a8a-0b7c-5b0e-9f0d-1f5c2f3b7a01";
    private const string Gpu1 = "0000:64:00/GPU-7b2f0c1d-4e3a-2c5d-8e6f-2a4b6c8d0e02";
    private const string Gpu2 = "0000:75:00/GPU-9c4a1e2f-6b5d-4e7f-a091-3b5c7d9e1f03";
    private readonly FakeTools _tools = new();
    private readonly ManualClock _clock = new(new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc));

    public void Dispose() => _tools.Dispose();

    private DcgmProbe Probe(string? address = null) => new(new HostCommands(), new AcceleratorSettings
    {
        CommandTimeout = TimeSpan.FromSeconds(10),
        Dcgmi = _tools.PathOf("dcgmi"),
        DcgmAddress = address,
    }, _clock);

    private static IReadOnlyList<(string Reason, string? Entity)> Failing(ProbeOutcome outcome) =>
        [.. Assert.IsType<ProbeOutcome.Checked>(outcome).Failing.Select(f => (f.Reason, f.Entity))];

    [Fact]
    public void Incidents_name_their_gpu_by_the_bus_id_and_uuid_dcgm_lists_for_its_id_asking_the_same_host_engine()
    {
        _tools.Dcgmi(DcgmDoubleBitFailureAndReplayWarning, DcgmDiscoveryEightGpusFourSwitches);

        var outcome = Probe(address: "10.0.0.5:5555").Poll();

        Assert.Equal([("DCGMHealthCode4", Gpu0), ("DCGMHealthCode3", Gpu1)], Failing(outcome));
        Assert.True(((ProbeOutcome.Checked)outcome).Complete);
        Assert.Equal(["discovery -l --host 10.0.0.5:5555"], _tools.Runs("discovery"));
        Assert.Equal(["health -c --host 10.0.0.5:5555"], _tools.Runs("health"));
    }

    [Fact]
    public void A_healthy_node_never_runs_discovery()
    {
        _tools.Dcgmi(DcgmHealthy, DcgmDiscoveryEightGpusFourSwitches);
        var probe = Probe();

        Assert.Empty(Failing(probe.Poll()));
        Assert.Empty(Failing(probe.Poll()));
        Assert.Empty(_tools.Runs("discovery"));
    }

    [Fact]
    public void The_listing_is_cached_and_read_again_for_an_id_it_lacks_once_and_after_ten_minutes()
    {
        _tools.Dcgmi(DcgmDoubleBitFailureAndReplayWarning, DcgmDiscoveryEightGpusFourSwitches);
        var probe = Probe();
        probe.Poll();
        _clock.Advance(TimeSpan.FromMinutes(1));
        probe.Poll();
        Assert.Single(_tools.Runs("discovery"));

        _tools.Replay("health", DcgmNvLinkAndSwitchAndUnknown); // Names Switch 0, which the listing lacks.
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([("DCGMHealthCode1", Gpu2), ("DCGMHealthCode14", Gpu2), ("DCGMHealthCode15", "Switch 0")], Failing(probe.Poll()));
        Assert.Equal(2, _tools.Runs("discovery").Count);
        _clock.Advance(TimeSpan.FromMinutes(1));
        probe.Poll();
        Assert.Equal(2, _tools.Runs("discovery").Count); // Switch 0 was looked up already.

        _clock.Advance(DcgmProbe.DiscoveryEvery);
        probe.Poll();
        Assert.Equal(3, _tools.Runs("discovery").Count);
    }

    [Fact]
    public void Without_a_listing_incidents_keep_dcgms_names_and_the_next_poll_tries_again()
    {
        _tools.Dcgmi(DcgmDoubleBitFailureAndReplayWarning, DcgmCannotConnect, discoveryExitCode: 255);
        var probe = Probe();

        Assert.Equal([("DCGMHealthCode4", "GPU 0"), ("DCGMHealthCode3", "GPU 1")], Failing(probe.Poll()));

        _tools.Replay("discovery", DcgmDiscoveryEightGpusFourSwitches);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([("DCGMHealthCode4", Gpu0), ("DCGMHealthCode3", Gpu1)], Failing(probe.Poll()));

        _tools.Replay("discovery", DcgmCannotConnect, exitCode: 255);
        _clock.Advance(DcgmProbe.DiscoveryEvery);
        Assert.Equal([("DCGMHealthCode4", Gpu0), ("DCGMHealthCode3", Gpu1)], Failing(probe.Poll())); // The last listing stands.
    }

    [Fact]
    public void An_unreachable_host_engine_reports_DCGMError_with_the_last_incidents_as_an_incomplete_check()
    {
        _tools.Dcgmi(DcgmDoubleBitFailureAndReplayWarning, DcgmDiscoveryEightGpusFourSwitches);
        var probe = Probe();
        probe.Poll();

        _tools.Replay("health", DcgmCannotConnect, exitCode: 255);
        Assert.Throws<ProbeUnavailableException>(probe.Poll);
        _clock.Advance(TimeSpan.FromSeconds(61));
        var outcome = Assert.IsType<ProbeOutcome.Checked>(probe.Poll());

        Assert.Equal([("DCGMHealthCode4", Gpu0), ("DCGMHealthCode3", Gpu1), ("DCGMError", null)], Failing(outcome));
        Assert.False(outcome.Complete);
    }
}

using System.Diagnostics;
using NodeHealth.Actors.Agent.Accelerators;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection.Accelerators;
using NodeHealth.Actors.Tests.Agent.Networking;
using NodeHealth.Actors.Tests.Health;
using NodeHealth.Contracts;
using static NodeHealth.Actors.Tests.Agent.Accelerators.RecordedOutputs;

namespace NodeHealth.Actors.Tests.Agent.Accelerators;

/// <summary>The accelerator probes against fake nvidia-smi, dcgmi and systemctl executables, through the real process runner.</summary>
public sealed class AcceleratorProbesTests : IDisposable
{
    private const string H100Gpu1 = "0000:64:00/GPU-7b2f0c1d-4e3a-2c5d-8e6f-2a4b6c8d0e02"; // Entity: the bus id and UUID of its nvidia-smi row.
    private const string V100Gpu1 = "0000:00:1f/GPU-1c2d3e4f-5a6b-7c8d-9e0f-1a2b3c4d5e6f";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HangDeadline = TimeSpan.FromSeconds(2);
    private readonly SysfsTree _host = PciTree.EightH100s(new SysfsTree());
    private readonly FakeTools _tools = new();

    public void Dispose()
    {
        _tools.Hang(false);
        _host.Dispose();
        _tools.Dispose();
    }

    private AcceleratorSettings Settings(int expected = 8, TimeSpan? deadline = null) => new()
    {
        ExpectedGpuCount = expected,
        CommandTimeout = deadline ?? Deadline,
        NvidiaSmi = _tools.PathOf("nvidia-smi"),
        Dcgmi = _tools.PathOf("dcgmi"),
        Systemctl = _tools.PathOf("systemctl"),
    };

    private static IReadOnlyList<(string Reason, string? Entity)> Failing(ProbeOutcome outcome) =>
        [.. Assert.IsType<ProbeOutcome.Checked>(outcome).Failing.Select(f => (f.Reason, f.Entity))];

    [Fact]
    public void Nvidia_smi_replaying_healthy_then_a_double_bit_error_then_healthy_again_fails_and_passes_that_gpu()
    {
        _tools.NvidiaSmi(EightHealthyGpus, RemappedRowsHealthy, NvLinkAllUp);
        var probe = new NvidiaSmiProbe(new RootedHostFiles(_host.Root), new HostCommands(), Settings());
        Assert.Empty(Failing(probe.Poll()));

        _tools.Data("gpus.csv", EightHealthyGpus.Replace("0000:64:00.0, GPU-7b2f0c1d-4e3a-2c5d-8e6f-2a4b6c8d0e02, 0,", "0000:64:00.0, GPU-7b2f0c1d-4e3a-2c5d-8e6f-2a4b6c8d0e02, 1,"));
        Assert.Equal([("NvidiaDoubleBitError", H100Gpu1)], Failing(probe.Poll()));

        _tools.Data("gpus.csv", EightHealthyGpus);
        Assert.Empty(Failing(probe.Poll()));
    }

    [Fact]
    public void Queries_an_older_driver_rejects_are_skipped_and_a_gpu_fallen_off_the_bus_is_a_count_mismatch()
    {
        _tools.NvidiaSmi(SevenGpusAndOneUnreachable);
        _tools.Remove("remapped.csv");
        _tools.Remove("nvlink.txt");

        var probe = new NvidiaSmiProbe(new RootedHostFiles(_host.Root), new HostCommands(), Settings());

        Assert.Equal([("NvidiaDeviceCountMismatch", null)], Failing(probe.Poll()));
    }

    [Fact]
    public void A_hung_nvidia_smi_is_killed_at_its_deadline_and_three_in_a_row_are_NvidiaSmiUnresponsive_keeping_what_it_said_before()
    {
        _tools.NvidiaSmi(TwoV100sOneWithDoubleBitErrors);
        _host.Dispose(); // A V100 host: the PCI list agrees with nvidia-smi.
        PciTree.Device(_host, "0000:00:1e.0", "0x10de", "0x1db1", "0x030200");
        PciTree.Device(_host, "0000:00:1f.0", "0x10de", "0x1db1", "0x030200");
        var probe = new NvidiaSmiProbe(new RootedHostFiles(_host.Root), new HostCommands(), Settings(expected: 0, HangDeadline));
        Assert.Equal([("NvidiaDoubleBitError", V100Gpu1), ("NvidiaPageRetirement", V100Gpu1)], Failing(probe.Poll()));

        _tools.Hang(true);
        var took = Stopwatch.StartNew();
        var first = Assert.Throws<HostCommandTimedOutException>(probe.Poll);
        Assert.InRange(took.Elapsed, HangDeadline, HangDeadline + TimeSpan.FromSeconds(3));
        Assert.Contains("ran longer than the deadline", first.Message);
        Assert.Throws<HostCommandTimedOutException>(probe.Poll);
        var third = probe.Poll();

        Assert.Equal([("NvidiaDoubleBitError", V100Gpu1), ("NvidiaPageRetirement", V100Gpu1), ("NvidiaSmiUnresponsive", "nvidia-smi")], Failing(third));
        Assert.Contains("3 times in a row", ((ProbeOutcome.Checked)third).Failing[2].Message);

        _tools.Hang(false);
        _tools.Data("gpus.csv", TwoV100sOneWithDoubleBitErrors.Replace(", 2, Yes", ", 0, No"));
        Assert.Empty(Failing(probe.Poll()));
    }

    [Fact]
    public void Without_nvidia_smi_only_the_expected_count_is_checked_against_the_pci_list()
    {
        var files = new RootedHostFiles(_host.Root);

        Assert.IsType<ProbeOutcome.Absent>(new NvidiaSmiProbe(files, new HostCommands(), Settings(expected: 0)).Poll());
        Assert.Empty(Failing(new NvidiaSmiProbe(files, new HostCommands(), Settings(expected: 8)).Poll()));
        var missing = Assert.Single(((ProbeOutcome.Checked)new NvidiaSmiProbe(files, new HostCommands(), Settings(expected: 16)).Poll()).Failing);
        Assert.Equal("8 of the 16 expected NVIDIA GPUs are in the PCI device list (" + _tools.PathOf("nvidia-smi") + " is not installed, so only the PCI list is checked)", missing.Message);
    }

    [Fact]
    public void Dcgm_incidents_are_reported_and_an_unreachable_host_engine_is_DCGMError_only_after_the_grace_period()
    {
        var clock = new ManualClock(new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc));
        _tools.Replaying("dcgmi", DcgmDoubleBitFailureAndReplayWarning);
        var probe = new DcgmProbe(new HostCommands(), Settings(), clock);
        var incidents = Assert.IsType<ProbeOutcome.Checked>(probe.Poll()).Failing;
        Assert.Equal([("DCGMHealthCode4", Severity.Fatal), ("DCGMHealthCode3", Severity.Warning)], incidents.Select(f => (f.Reason, f.Severity!.Value)));

        _tools.Replay("dcgmi", DcgmCannotConnect, exitCode: 255);
        Assert.Throws<ProbeUnavailableException>(probe.Poll);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal([("DCGMHealthCode4", "GPU 0"), ("DCGMHealthCode3", "GPU 1"), ("DCGMError", null)], Failing(probe.Poll()));

        _tools.Replay("dcgmi", DcgmHealthy);
        Assert.Empty(Failing(probe.Poll()));
        _tools.Remove("dcgmi");
        Assert.IsType<ProbeOutcome.Absent>(probe.Poll());
    }

    [Fact]
    public void A_hung_dcgmi_is_killed_at_its_deadline_and_past_the_grace_period_is_DCGMError_keeping_what_DCGM_said_before()
    {
        var clock = new ManualClock(new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc));
        _tools.Dcgmi(DcgmDoubleBitFailureAndReplayWarning, DcgmDiscoveryEightGpusFourSwitches);
        var gpus = new GpuIdentities();
        var probe = new DcgmProbe(new HostCommands(), Settings(deadline: HangDeadline) with { Gpus = gpus }, clock);
        var before = Failing(probe.Poll());
        Assert.Equal(["DCGMHealthCode4", "DCGMHealthCode3"], before.Select(f => f.Reason));
        Assert.Equal("0000:53:00/GPU-3d1e9a8a-0b7c-5b0e-9f0d-1f5c2f3b7a01", gpus.Name("0000:53:00")); // DCGM's listing taught the agent's map.

        _tools.Hang(true);
        var took = Stopwatch.StartNew();
        var first = Assert.Throws<ProbeUnavailableException>(probe.Poll); // Within the grace period: the condition is Unknown, not failed.
        Assert.InRange(took.Elapsed, HangDeadline, HangDeadline + TimeSpan.FromSeconds(3));
        Assert.Contains("ran longer than the deadline", first.Message);
        clock.Advance(TimeSpan.FromSeconds(61));
        took.Restart();
        var hung = Assert.IsType<ProbeOutcome.Checked>(probe.Poll());
        Assert.InRange(took.Elapsed, HangDeadline, HangDeadline + TimeSpan.FromSeconds(3));

        Assert.Equal([.. before, ("DCGMError", null)], Failing(hung));
        Assert.False(hung.Complete); // A hang is no evidence that the incidents went away.
        Assert.Contains("ran longer than the deadline", hung.Failing[^1].Message);

        _tools.Hang(false);
        _tools.Replay("health", DcgmHealthy);
        Assert.Empty(Failing(probe.Poll()));
    }

    [Fact]
    public void Fabric_manager_must_be_active_where_nvswitches_are()
    {
        var files = new RootedHostFiles(_host.Root);
        _tools.Replaying("systemctl", "failed\n", exitCode: 3);
        var probe = new FabricManagerProbe(files, new HostCommands(), Settings());
        Assert.IsType<ProbeOutcome.Absent>(probe.Poll()); // No NVSwitch yet.

        PciTree.Device(_host, "0000:05:00.0", "0x10de", "0x22a3", "0x068000");
        var failure = Assert.Single(((ProbeOutcome.Checked)probe.Poll()).Failing);
        Assert.Equal(("FabricManagerNotRunning", "nvidia-fabricmanager is failed on a node with 1 NVSwitch"), (failure.Reason, failure.Message));

        _tools.Replay("systemctl", "active\n");
        Assert.Empty(Failing(probe.Poll()));
    }
}

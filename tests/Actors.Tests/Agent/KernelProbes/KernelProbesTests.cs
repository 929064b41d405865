using System.Text;
using NodeHealth.Actors.Agent.KernelProbes;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Tests.Detection.Probes;
using NodeHealth.Actors.Tests.Health;

namespace NodeHealth.Actors.Tests.Agent.KernelProbes;

public sealed class KernelProbesTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private readonly HostRoot _host = new();

    public void Dispose() => _host.Dispose();

    private static IReadOnlyList<ProbeFailure> Failing(ProbeOutcome outcome) => Assert.IsType<ProbeOutcome.Checked>(outcome).Failing;

    [Fact]
    public void File_nr_under_the_host_root_at_seventy_percent_fails_approaching_max_open_files()
    {
        _host.Write("/proc/sys/fs/file-nr", "700\t0\t1000\n");
        var probe = new FileHandlesProbe(_host.Files, Interval);

        Assert.Equal("ApproachingMaxOpenFiles", Assert.Single(Failing(probe.Poll())).Reason);
        _host.Write("/proc/sys/fs/file-nr", "699\t0\t1000\n");
        Assert.Empty(Failing(probe.Poll()));
    }

    [Fact]
    public void A_garbled_file_nr_makes_the_probe_unavailable_naming_the_file()
    {
        _host.Write("/proc/sys/fs/file-nr", "\u00ff\u00fe garbage");

        var error = Assert.Throws<ProbeUnavailableException>(() => new FileHandlesProbe(_host.Files, Interval).Poll());
        Assert.Contains("/proc/sys/fs/file-nr", error.Message);
    }

    [Fact]
    public void Process_directories_against_pid_max_and_threads_max()
    {
        _host.Write("/proc/sys/kernel/pid_max", "10\n").Write("/proc/sys/kernel/threads-max", "4\n").Write("/proc/self/stat", "x");
        foreach (var pid in new[] { 1, 2, 3, 4, 5, 6, 7 })
            _host.Write($"/proc/{pid}/stat", ProcFixtures.Stat(pid, "sleep"));
        var probe = new PidUsageProbe(_host.Files, Interval);

        Assert.Equal("ApproachingKernelPidMax", Assert.Single(Failing(probe.Poll())).Reason);
        _host.Delete("/proc/7");
        Assert.Empty(Failing(probe.Poll()));
    }

    [Fact]
    public void Zombies_are_counted_from_each_process_stat_and_raised_once_sustained()
    {
        var clock = new ManualClock(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        for (var pid = 100; pid < 120; pid++)
            _host.Write($"/proc/{pid}/stat", ProcFixtures.Stat(pid, "defunct (worker)", 'Z'));
        _host.Write("/proc/1/stat", ProcFixtures.Stat(1, "systemd"));
        var probe = new ZombieProbe(_host.Files, clock, Interval);

        Assert.Empty(Failing(probe.Poll()));
        clock.Advance(TimeSpan.FromMinutes(25));
        var failure = Assert.Single(Failing(probe.Poll()));

        Assert.Equal("ExcessiveZombieProcesses", failure.Reason);
        Assert.Contains("20 zombie processes", failure.Message);
    }

    [Fact]
    public void A_process_with_more_than_a_thousand_environment_variables_fails_large_environment_by_pid()
    {
        _host.Write("/proc/42/environ", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 1500).Select(i => $"SVC_{i}_PORT=tcp://10.0.0.1:80\0"))))
            .Write("/proc/42/comm", "java\n")
            .Write("/proc/43/environ", Encoding.ASCII.GetBytes("PATH=/usr/bin\0HOME=/root\0"));

        var failure = Assert.Single(Failing(new EnvironmentProbe(_host.Files, Interval).Poll()));

        Assert.Equal(("LargeEnvironment", "42"), (failure.Reason, failure.Entity));
        Assert.Contains("(java)", failure.Message);
    }

    [Fact]
    public void Zram_devices_over_ten_percent_fail_each_by_name_and_no_zram_is_absent()
    {
        var probe = new ZramProbe(_host.Files, Interval);
        Assert.IsType<ProbeOutcome.Absent>(probe.Poll());

        _host.Write("/sys/block/zram0/mm_stat", "429496730 100000000 110000000 0 110000000 0 0 0 0\n").Write("/sys/block/zram0/disksize", "4294967296\n")
            .Write("/sys/block/zram1/mm_stat", "4096 100 4096 0 4096 0 0 0 0\n").Write("/sys/block/zram1/disksize", "4294967296\n")
            .Write("/sys/block/vda/size", "1\n");

        Assert.Equal(("ZramHighUsage", "zram0"), Assert.Single(Failing(probe.Poll())) is var f ? (f.Reason, f.Entity) : default);
    }

    [Fact]
    public void The_clock_probe_fails_on_sta_unsync()
    {
        Assert.Equal("ClockUnsynchronized", Assert.Single(Failing(new ClockProbe(new FixedClockStatus(0x41), Interval).Poll())).Reason);
        Assert.Empty(Failing(new ClockProbe(new FixedClockStatus(0x2001), Interval).Poll()));
    }

    /// <summary>adjtimex's answer as the kernel gives it; the real call is tested in NodeHost.Tests.</summary>
    private sealed class FixedClockStatus(int status) : IKernelClock
    {
        public int Status() => status;
    }
}

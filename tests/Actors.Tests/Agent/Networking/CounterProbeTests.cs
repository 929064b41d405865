using NodeHealth.Actors.Agent.Networking;
using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.Actors.Tests.Agent.Networking;

public sealed class CounterProbeTests : IDisposable
{
    private static readonly DateTime T0 = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);

    // `ethtool -S eth0` on an ENA interface (abridged: the per-queue counters repeat for every queue).
    private const string EnaStatistics = """
        NIC statistics:
             tx_timeout: 0
             suspend: 0
             resume: 0
             wd_expired: 0
             interface_up: 1
             interface_down: 0
             admin_q_pause: 0
             bw_in_allowance_exceeded: {0}
             bw_out_allowance_exceeded: 0
             pps_allowance_exceeded: {1}
             conntrack_allowance_exceeded: 0
             linklocal_allowance_exceeded: 0
             conntrack_allowance_available: 393120
             queue_0_tx_cnt: 1174284
             queue_0_tx_bytes: 274374424
             queue_0_rx_cnt: 1416350
             ena_admin_q_aq_completed_cmd: 68
        """;

    private readonly SysfsTree _host = new();

    private static string Ena(long bwIn, long pps) => EnaStatistics.Replace("{0}", bwIn.ToString()).Replace("{1}", pps.ToString());

    [Fact]
    public void Ethtool_statistics_parse_into_named_counters()
    {
        var statistics = EnaAllowanceProbe.ParseStatistics(Ena(12, 7));

        Assert.Equal(12, statistics["bw_in_allowance_exceeded"]);
        Assert.Equal(7, statistics["pps_allowance_exceeded"]);
        Assert.Equal(393120, statistics["conntrack_allowance_available"]);
        Assert.False(statistics.ContainsKey("NIC statistics"));
    }

    [Fact]
    public void Allowance_counters_keep_their_bucket_across_polls_so_a_burst_fires()
    {
        // EKS builds a new tracker every poll, so each poll is a "first sample" and this never fires.
        var probe = new EnaAllowanceProbe(new RootedHostFiles(_host.Root), new HostCommands(), TimeSpan.FromMinutes(1), TimeProvider.System);

        Assert.Empty(probe.Check("eth0", EnaAllowanceProbe.ParseStatistics(Ena(1_000, 0)), T0));
        Assert.Empty(probe.Check("eth0", EnaAllowanceProbe.ParseStatistics(Ena(1_150, 300)), T0.AddMinutes(1)));
        var fired = probe.Check("eth0", EnaAllowanceProbe.ParseStatistics(Ena(1_250, 300)), T0.AddMinutes(2)).ToList();

        var failure = Assert.Single(fired);
        Assert.Equal(("BandwidthInExceeded", "eth0"), (failure.Reason, failure.Entity));
        Assert.Contains("bw_in_allowance_exceeded reached 1250", failure.Message);
        Assert.Empty(probe.Check("eth0", EnaAllowanceProbe.ParseStatistics(Ena(1_250, 300)), T0.AddMinutes(3)));
    }

    [Fact]
    public void A_counter_reset_by_the_driver_is_a_new_baseline_not_a_burst()
    {
        var bucket = new AllowanceBucket(100, 1.0 / 600);

        Assert.False(bucket.Exceeded(5_000, T0));
        Assert.False(bucket.Exceeded(3, T0.AddMinutes(1)));
        Assert.False(bucket.Exceeded(103, T0.AddMinutes(2)));
        Assert.True(bucket.Exceeded(105, T0.AddMinutes(2)));
    }

    [Fact]
    public void The_bucket_refills_with_time_up_to_its_burst()
    {
        var bucket = new AllowanceBucket(10, 1);

        Assert.False(bucket.Exceeded(0, T0));
        Assert.False(bucket.Exceeded(10, T0.AddSeconds(1))); // Drains the full bucket.
        Assert.False(bucket.Exceeded(15, T0.AddSeconds(6))); // Five seconds refilled five tokens.
        Assert.True(bucket.Exceeded(30, T0.AddHours(1))); // An hour refills only up to the burst of 10.
    }

    [Fact]
    public void Without_an_ena_interface_the_probe_is_absent_and_with_one_it_asks_ethtool()
    {
        _host.Interface("lo", "0x9", "unknown").Interface("eth0", "0x1003", "up").Write("/sys/class/net/eth0/device/uevent", "DRIVER=virtio_net\n");
        var files = new RootedHostFiles(_host.Root);
        Assert.IsType<ProbeOutcome.Absent>(new EnaAllowanceProbe(files, new HostCommands(), TimeSpan.FromMinutes(1), TimeProvider.System).Poll());

        _host.Write("/sys/class/net/eth0/device/uevent", "DRIVER=ena\nPCI_CLASS=20000\n");
        var commands = new RecordedCommands(new CommandResult(0, Ena(0, 0)));
        Assert.IsType<ProbeOutcome.Checked>(new EnaAllowanceProbe(files, commands, TimeSpan.FromMinutes(1), TimeProvider.System).Poll());
        Assert.Equal(["ethtool -S eth0"], commands.Ran);
    }

    [Fact]
    public void Ethtool_missing_means_absent_and_no_statistics_is_tolerated()
    {
        _host.Interface("eth0", "0x1003", "up").Write("/sys/class/net/eth0/device/uevent", "DRIVER=ena\n");
        var files = new RootedHostFiles(_host.Root);

        Assert.IsType<ProbeOutcome.Absent>(new EnaAllowanceProbe(files, new RecordedCommands(null), TimeSpan.FromMinutes(1), TimeProvider.System).Poll());
        Assert.Empty(Assert.IsType<ProbeOutcome.Checked>(new EnaAllowanceProbe(files, new RecordedCommands(new CommandResult(94, "no stats available\n")),
            TimeSpan.FromMinutes(1), TimeProvider.System).Poll()).Failing);
    }

    [Fact]
    public void Efa_counters_are_read_only_from_amazon_efa_devices_and_fire_past_their_allowance()
    {
        _host.Write("/sys/class/infiniband/rdmap0s6/device/vendor", "0x1d0f\n").Write("/sys/class/infiniband/rdmap0s6/device/device", "0xefa1\n")
            .Write("/sys/class/infiniband/rdmap0s6/ports/1/hw_counters/rx_drops", "10\n")
            .Write("/sys/class/infiniband/rdmap0s6/ports/1/hw_counters/retrans_bytes", "0\n")
            .Write("/sys/class/infiniband/mlx5_0/device/vendor", "0x15b3\n").Write("/sys/class/infiniband/mlx5_0/device/device", "0x101b\n")
            .Write("/sys/class/infiniband/mlx5_0/ports/1/hw_counters/rx_drops", "0\n");
        var clock = new Health.ManualClock(T0);
        var probe = new EfaProbe(new RootedHostFiles(_host.Root), TimeSpan.FromMinutes(1), clock);

        Assert.Empty(Assert.IsType<ProbeOutcome.Checked>(probe.Poll()).Failing);
        _host.Write("/sys/class/infiniband/rdmap0s6/ports/1/hw_counters/rx_drops", "500\n").Write("/sys/class/infiniband/mlx5_0/ports/1/hw_counters/rx_drops", "9999\n");
        clock.Advance(TimeSpan.FromSeconds(60));
        var failure = Assert.Single(Assert.IsType<ProbeOutcome.Checked>(probe.Poll()).Failing);

        Assert.Equal(("EFAErrorMetric", "rdmap0s6/1/rx_drops"), (failure.Reason, failure.Entity));
    }

    [Fact]
    public void Without_efa_devices_the_probe_is_absent()
    {
        Assert.IsType<ProbeOutcome.Absent>(new EfaProbe(new RootedHostFiles(_host.Root), TimeSpan.FromMinutes(1), TimeProvider.System).Poll());
    }

    [Theory]
    [InlineData("1\n", 0)]
    [InlineData("0\n", 1)]
    public void Ip_forwarding_must_be_on(string value, int failures)
    {
        _host.Write(IpForwardProbe.Path, value);

        var outcome = Assert.IsType<ProbeOutcome.Checked>(new IpForwardProbe(new RootedHostFiles(_host.Root), TimeSpan.FromMinutes(1)).Poll());

        Assert.Equal(failures, outcome.Failing.Count);
        if (failures > 0)
            Assert.Equal(("NetworkSysctl", "net.ipv4.ip_forward is 0, not 1: pod traffic is not forwarded"), (outcome.Failing[0].Reason, outcome.Failing[0].Message));
    }

    [Theory]
    [InlineData(179_999, 200_000, false)]
    [InlineData(180_000, 200_000, true)]
    [InlineData(5, 0, false)]
    public void Conntrack_table_at_ninety_percent_is_nearly_full(long count, long max, bool nearlyFull)
    {
        var failures = ConntrackProbe.Check(count, max);

        Assert.Equal(nearlyFull, failures.Count == 1);
        if (nearlyFull)
            Assert.Equal("connection tracking table 90 % full (180000 of 200000 entries); packets are dropped when it is full", failures[0].Message);
    }

    [Fact]
    public void Conntrack_without_the_module_is_absent_not_failed_and_garbage_is_unavailable()
    {
        var files = new RootedHostFiles(_host.Root);
        Assert.IsType<ProbeOutcome.Absent>(new ConntrackProbe(files, TimeSpan.FromSeconds(30)).Poll());

        _host.Write(ConntrackProbe.CountPath, "12\n").Write(ConntrackProbe.MaxPath, "lots\n");

        Assert.Contains("nf_conntrack_max", Assert.Throws<ProbeUnavailableException>(new ConntrackProbe(files, TimeSpan.FromSeconds(30)).Poll).Message);
    }

    public void Dispose() => _host.Dispose();

    /// <summary>A host whose tool gives the recorded answer.</summary>
    private sealed class RecordedCommands(CommandResult? result) : IHostCommands
    {
        public List<string> Ran { get; } = [];

        public CommandResult? Run(string tool, IReadOnlyList<string> arguments, TimeSpan timeout)
        {
            Ran.Add($"{tool} {string.Join(' ', arguments)}");
            return result;
        }
    }
}

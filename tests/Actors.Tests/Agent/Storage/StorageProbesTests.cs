using System.Buffers.Binary;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Agent.Storage;
using NodeHealth.Actors.Detection.Probes;
using NodeHealth.Actors.Tests.Agent.KernelProbes;
using NodeHealth.Actors.Tests.Detection.Probes;
using NodeHealth.Actors.Tests.Health;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Agent.Storage;

public sealed class StorageProbesTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly HostRoot _host = new();

    public void Dispose() => _host.Dispose();

    private static IReadOnlyList<ProbeFailure> Failing(ProbeOutcome outcome) => Assert.IsType<ProbeOutcome.Checked>(outcome).Failing;

    [Fact]
    public void Under_a_host_root_the_mount_table_is_pid_1s_and_on_a_plain_host_our_own()
    {
        Assert.Equal("/proc/1/mountinfo", MountsProbe.MountInfoPathFor("/host"));
        Assert.Equal("/proc/self/mountinfo", MountsProbe.MountInfoPathFor("/"));
    }

    [Fact]
    public void The_kubelet_disk_remounted_read_only_fails_fatal_and_a_data_disk_warning()
    {
        _host.Write("/proc/1/mountinfo", MountTables.Worker);
        var probe = new MountsProbe(_host.Files, "/proc/1/mountinfo", Interval);
        Assert.Empty(Failing(probe.Poll()));

        var table = MountTables.With(MountTables.Worker, "/var/lib/kubelet", "ro,noatime", "ro");
        _host.Write("/proc/1/mountinfo", MountTables.With(table, "/data\\040disk", "ro,relatime", "ro"));
        var failing = Failing(probe.Poll());

        Assert.Equal(
            [("FilesystemReadOnly", "nvme1n1", (Severity?)Severity.Fatal), ("FilesystemReadOnly", "nvme2n1", Severity.Warning)],
            failing.Select(f => (f.Reason, f.Entity, f.Severity)).ToArray());
        Assert.Contains("/var/lib/kubelet", failing[0].Message);
        Assert.Equal(["FilesystemReadOnly"], probe.AlsoRaises);
    }

    [Fact]
    public void A_missing_or_garbled_mount_table_makes_the_probe_unavailable()
    {
        var probe = new MountsProbe(_host.Files, "/proc/1/mountinfo", Interval);
        Assert.Contains("/proc/1/mountinfo", Assert.Throws<ProbeUnavailableException>(probe.Poll).Message);

        _host.Write("/proc/1/mountinfo", MountTables.Worker + "\nnot a mount line");
        Assert.Contains("line 12", Assert.Throws<ProbeUnavailableException>(probe.Poll).Message);
    }

    [Fact]
    public void A_process_waiting_ten_seconds_for_block_io_between_polls_fails_io_delays()
    {
        _host.Write("/proc/300/stat", ProcFixtures.Stat(300, "kworker/u16:2 (flush)", 'D', 4000, 100));
        var probe = new IoDelayProbe(_host.Files, TimeSpan.FromMinutes(10));
        Assert.Empty(Failing(probe.Poll()));

        _host.Write("/proc/300/stat", ProcFixtures.Stat(300, "kworker/u16:2 (flush)", 'D', 4000, 1600));

        Assert.Equal(("IODelays", "300"), Assert.Single(Failing(probe.Poll())) is var f ? (f.Reason, f.Entity) : default);
    }

    [Fact]
    public void Ebs_is_absent_without_an_amazon_ebs_controller_and_nothing_is_sent_to_other_devices()
    {
        _host.Write("/sys/class/nvme/nvme0/model", "Amazon EC2 NVMe Instance Storage        \n").Write("/sys/class/nvme/nvme0/serial", "AWS1234\n");
        var nvme = new RecordedEbsPages();

        Assert.IsType<ProbeOutcome.Absent>(new EbsProbe(_host.Files, nvme, TimeProvider.System, Interval).Poll());
        Assert.Empty(nvme.Asked);
    }

    [Fact]
    public void Ebs_throttling_over_fifty_seconds_in_ten_minutes_fails_by_volume_id_after_a_baseline()
    {
        var clock = new ManualClock(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        _host.Write("/sys/class/nvme/nvme1/model", "Amazon Elastic Block Store              \n").Write("/sys/class/nvme/nvme1/serial", "vol0123456789abcdef0\n");
        _host.Write("/sys/class/nvme/nvme1/device/vendor", "0x1d0f\n");
        // Same model string, another vendor: not EBS, never asked.
        _host.Write("/sys/class/nvme/nvme2/model", "Amazon Elastic Block Store\n").Write("/sys/class/nvme/nvme2/device/vendor", "0x144d\n");
        var nvme = new RecordedEbsPages { VolumeIopsMicros = 500_000_000 };
        var probe = new EbsProbe(_host.Files, nvme, clock, TimeSpan.FromMinutes(10));

        Assert.Empty(Failing(probe.Poll()));
        clock.Advance(TimeSpan.FromMinutes(10));
        nvme.VolumeIopsMicros += 51_000_000;
        var failure = Assert.Single(Failing(probe.Poll()));

        Assert.Equal(("EBSVolumeIOPSExceeded", "vol-0123456789abcdef0"), (failure.Reason, failure.Entity));
        Assert.Equal([("/dev/nvme1", EbsThrottling.LogPage, 1u), ("/dev/nvme1", EbsThrottling.LogPage, 1u)], nvme.Asked);
    }

    [Fact]
    public void Each_xfs_device_of_the_mount_table_is_checked_once_with_the_hosts_xfs_db()
    {
        _host.Write("/proc/1/mountinfo", MountTables.Worker + "\n50 22 259:1 /containerd /var/lib/containerd rw,noatime - xfs /dev/nvme0n1p1 rw,attr2");
        var xfsDb = new ScriptedXfsDb(XfsFreeSpaceTests.Fragmented);

        var failure = Assert.Single(Failing(new XfsProbe(_host.Files, xfsDb, "/proc/1/mountinfo", Interval).Poll()));

        Assert.Equal(("XFSSmallAverageClusterSize", "nvme0n1p1"), (failure.Reason, failure.Entity));
        Assert.Equal([["-r", "-c", "freesp -s", "/dev/nvme0n1p1"]], xfsDb.Runs);
    }

    [Fact]
    public void Xfs_is_absent_without_xfs_mounts_or_without_xfs_db_and_unavailable_when_it_fails()
    {
        _host.Write("/proc/1/mountinfo", MountTables.Bottlerocket);
        Assert.IsType<ProbeOutcome.Absent>(new XfsProbe(_host.Files, new ScriptedXfsDb(XfsFreeSpaceTests.Fresh), "/proc/1/mountinfo", Interval).Poll());

        _host.Write("/proc/1/mountinfo", MountTables.Worker);
        Assert.Contains("not installed", Assert.IsType<ProbeOutcome.Absent>(new XfsProbe(_host.Files, new ScriptedXfsDb(null), "/proc/1/mountinfo", Interval).Poll()).Why);
        var broken = new ScriptedXfsDb("xfs_db: cannot open /dev/nvme0n1p1: Permission denied") { ExitCode = 1 };
        Assert.Contains("Permission denied", Assert.Throws<ProbeUnavailableException>(new XfsProbe(_host.Files, broken, "/proc/1/mountinfo", Interval).Poll).Message);
    }

    /// <summary>xfs_db's recorded answer (the real one runs in NodeHost.Tests).</summary>
    private sealed class ScriptedXfsDb(string? output) : IHostCommands
    {
        public int ExitCode { get; init; }
        public List<string[]> Runs { get; } = [];

        public CommandResult? Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
        {
            Runs.Add([.. arguments]);
            return output is null ? null : new CommandResult(ExitCode, output);
        }
    }

    /// <summary>The ioctl's answer: log page 0xD0 as an EBS volume fills it (the real ioctl needs EBS hardware).</summary>
    private sealed class RecordedEbsPages : INvmeAdmin
    {
        public ulong VolumeIopsMicros { get; set; }
        public List<(string, byte, uint)> Asked { get; } = [];

        public byte[] LogPage(string device, byte logPage, uint namespaceId, int length)
        {
            Asked.Add((device, logPage, namespaceId));
            var page = new byte[length];
            BinaryPrimitives.WriteUInt32LittleEndian(page, EbsThrottling.Magic);
            BinaryPrimitives.WriteUInt64LittleEndian(page.AsSpan(56), VolumeIopsMicros);
            return page;
        }
    }
}

using NodeHealth.Actors.Detection.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Detection.Probes;

public sealed class StorageProbeChecksTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static IReadOnlyList<Mount> Parse(string table) => MountInfo.Parse(table, "/proc/1/mountinfo");

    [Fact]
    public void Mountinfo_lines_give_mount_and_filesystem_options_and_unescaped_paths()
    {
        var mounts = Parse(MountTables.Worker);

        var data = Assert.Single(mounts, m => m.Id == 42);
        Assert.Equal("/data disk", data.MountPoint);
        Assert.Equal("ext4", data.FileSystem);
        Assert.Equal("/dev/nvme2n1", data.Source);
        Assert.Equal("nvme2n1", data.DeviceName);
        Assert.Equal("259:4", data.Device);
        Assert.False(data.ReadOnly);
        Assert.Equal("/", Assert.Single(mounts, m => m.Id == 22).MountPoint);
        Assert.Equal(11, mounts.Count);
    }

    [Theory]
    [InlineData("22 1 259:1 / / rw,noatime shared:1 xfs /dev/nvme0n1p1 rw")]
    [InlineData("22 1 259:1 / /")]
    [InlineData("x 1 259:1 / / rw - xfs /dev/nvme0n1p1 rw")]
    public void A_mountinfo_line_that_is_not_one_is_an_error_naming_file_and_line(string bad)
    {
        var error = Assert.Throws<ProbeInputException>(() => Parse(MountTables.Bottlerocket + "\n" + bad));
        Assert.StartsWith("/proc/1/mountinfo line 6", error.Message);
    }

    [Fact]
    public void A_path_lives_on_the_longest_mount_point_that_holds_it()
    {
        var mounts = Parse(MountTables.Worker);

        Assert.Equal(40, MountInfo.Backing(mounts, "/var/lib/kubelet")!.Id);
        Assert.Equal(40, MountInfo.Backing(mounts, "/var/lib/kubelet/pods")!.Id);
        Assert.Equal(22, MountInfo.Backing(mounts, "/var/lib/containerd")!.Id);
        Assert.Equal(22, MountInfo.Backing(mounts, "/var/lib/kubeletx")!.Id);
        Assert.Equal(28, MountInfo.Backing(mounts, "/run/containerd")!.Id);
    }

    [Fact]
    public void A_kubelet_volume_remounted_read_only_is_fatal()
    {
        var watch = new ReadOnlyFilesystemWatch();
        Assert.Empty(watch.Observe(Parse(MountTables.Worker)));

        var found = Assert.Single(watch.Observe(Parse(MountTables.With(MountTables.Worker, "/var/lib/kubelet", "ro,noatime", "ro"))));

        Assert.Equal(Severity.Fatal, found.Severity);
        Assert.Equal("nvme1n1", found.Entity);
        Assert.Equal(["/var/lib/kubelet"], found.Backs);
        Assert.False(found.ByKernel);
        Assert.Contains("/var/lib/kubelet (nvme1n1, ext4) was read-write and is now mounted read-only", found.Describe());
    }

    [Fact]
    public void The_root_filesystem_made_read_only_by_the_kernel_is_fatal_for_root_and_the_runtime_even_on_first_sight()
    {
        var watch = new ReadOnlyFilesystemWatch();

        var found = Assert.Single(watch.Observe(Parse(MountTables.With(MountTables.Worker, "/", "rw,noatime", "ro,attr2,inode64"))));

        Assert.True(found.ByKernel);
        Assert.Equal(Severity.Fatal, found.Severity);
        Assert.Equal(["/", "/var/lib/containerd", "/var/lib/docker"], found.Backs);
    }

    [Fact]
    public void Ext4_emergency_read_only_under_a_read_write_mount_counts_as_made_read_only_by_the_kernel()
    {
        var found = Assert.Single(new ReadOnlyFilesystemWatch().Observe(
            Parse(MountTables.With(MountTables.Worker, "/data\\040disk", "rw,relatime", "rw,errors=remount-ro,emergency_ro"))));

        Assert.True(found.ByKernel);
        Assert.Equal(Severity.Warning, found.Severity);
        Assert.Equal(["/data disk"], found.MountPoints);
        Assert.Empty(found.Backs);
    }

    [Fact]
    public void Filesystems_mounted_read_only_on_purpose_raise_nothing()
    {
        var watch = new ReadOnlyFilesystemWatch();

        Assert.Empty(watch.Observe(Parse(MountTables.Bottlerocket)));
        Assert.Empty(watch.Observe(Parse(MountTables.Bottlerocket)));
        // The squashfs snap is read-only by nature and by mount; a squashfs mounted without "ro" is too.
        Assert.Empty(watch.Observe(Parse(MountTables.With(MountTables.Worker, "/snap/core22/1380", "rw,relatime", "ro"))));
    }

    [Fact]
    public void A_kernel_interface_remounted_read_only_is_not_storage()
    {
        var watch = new ReadOnlyFilesystemWatch();
        watch.Observe(Parse(MountTables.Worker));

        Assert.Empty(watch.Observe(Parse(MountTables.With(MountTables.Worker, "/sys", "ro,nosuid,nodev,noexec,relatime", "rw"))));
    }

    [Fact]
    public void A_filesystem_clears_when_writable_again_or_unmounted()
    {
        var watch = new ReadOnlyFilesystemWatch();
        watch.Observe(Parse(MountTables.Worker));
        var readOnly = MountTables.With(MountTables.Worker, "/data\\040disk", "ro,relatime", "ro");
        Assert.Single(watch.Observe(Parse(readOnly)));

        Assert.Empty(watch.Observe(Parse(MountTables.Worker)));
        Assert.Single(watch.Observe(Parse(readOnly)));
        Assert.Empty(watch.Observe(Parse(MountTables.Without(readOnly, "/data\\040disk"))));
        // Mounted again read-only: never seen read-write under this mount, so on purpose.
        Assert.Empty(watch.Observe(Parse(readOnly)));
    }

    [Fact]
    public void Critical_directories_can_be_configured()
    {
        var watch = new ReadOnlyFilesystemWatch(["/", "/data disk/kubelet"]);
        watch.Observe(Parse(MountTables.Worker));

        var found = Assert.Single(watch.Observe(Parse(MountTables.With(MountTables.Worker, "/data\\040disk", "ro,relatime", "ro"))));

        Assert.Equal(Severity.Fatal, found.Severity);
        Assert.Equal(["/data disk/kubelet"], found.Backs);
    }

    [Fact]
    public void Block_io_waits_of_ten_seconds_between_polls_raise_io_delays_for_that_process()
    {
        var watch = new IoDelayWatch();
        ProcessStat Stat(int pid, string command, ulong start, ulong ticks) =>
            ProcessStat.Parse(ProcFixtures.Stat(pid, command, 'D', start, ticks), $"/proc/{pid}/stat");

        // First sight: a baseline, however large the total since the process started.
        Assert.Empty(watch.Observe([Stat(100, "postgres: writer", 5000, 900_000), Stat(200, "jbd2/nvme1n1-8", 10, 50)]));
        var problems = watch.Observe([Stat(100, "postgres: writer", 5000, 901_000), Stat(200, "jbd2/nvme1n1-8", 10, 1049)]);

        var problem = Assert.Single(problems);
        Assert.Equal("IODelays", problem.Reason);
        Assert.Equal("100", problem.Entity);
        Assert.Contains("postgres: writer", problem.Message);
        Assert.Contains("10 s", problem.Message);
    }

    [Fact]
    public void A_reused_pid_starts_a_new_baseline()
    {
        var watch = new IoDelayWatch();
        watch.Observe([ProcessStat.Parse(ProcFixtures.Stat(100, "old", 'S', 5000, 0), "/proc/100/stat")]);

        Assert.Empty(watch.Observe([ProcessStat.Parse(ProcFixtures.Stat(100, "new", 'S', 9000, 5000), "/proc/100/stat")]));
    }
}

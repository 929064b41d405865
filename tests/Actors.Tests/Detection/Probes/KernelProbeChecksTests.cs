using System.Text;
using NodeHealth.Actors.Detection.Probes;

namespace NodeHealth.Actors.Tests.Detection.Probes;

public sealed class KernelProbeChecksTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void File_handles_at_seventy_percent_of_the_maximum_raise_approaching_max_open_files()
    {
        var problem = OpenFilesCheck.Check(FileHandles.Parse("70000\t0\t100000\n"));

        Assert.Equal("ApproachingMaxOpenFiles", problem?.Reason);
        Assert.Contains("70000 of 100000", problem!.Message);
    }

    [Fact]
    public void File_handles_below_seventy_percent_are_healthy()
    {
        Assert.Null(OpenFilesCheck.Check(FileHandles.Parse("849\t0\t2466186\n")));
        Assert.Null(OpenFilesCheck.Check(FileHandles.Parse("69999\t0\t100000")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("849 0")]
    [InlineData("849 0 lots")]
    [InlineData("-1 0 100")]
    public void A_file_nr_that_is_not_three_numbers_is_an_error_naming_the_file(string text)
    {
        var error = Assert.Throws<ProbeInputException>(() => FileHandles.Parse(text));
        Assert.Contains("/proc/sys/fs/file-nr", error.Message);
    }

    [Fact]
    public void Processes_at_seventy_percent_of_the_larger_limit_raise_approaching_kernel_pid_max()
    {
        Assert.Equal("ApproachingKernelPidMax", PidUsageCheck.Check(processes: 22938, pidMax: 32768, threadsMax: 8000)?.Reason);
        // threads-max is the larger limit here, so the same count is far from it.
        Assert.Null(PidUsageCheck.Check(processes: 22938, pidMax: 32768, threadsMax: 4194304));
        Assert.Null(PidUsageCheck.Check(processes: 22937, pidMax: 32768, threadsMax: 100));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("4194304", true)]
    [InlineData("self", false)]
    [InlineData("thread-self", false)]
    [InlineData("", false)]
    [InlineData("12a", false)]
    public void Only_numeric_proc_entries_count_as_processes(string name, bool process) =>
        Assert.Equal(process, PidUsageCheck.IsProcessDirectory(name));

    [Theory]
    [InlineData("cat")]
    [InlineData("tmux: server")]
    [InlineData("(sd-pam)")]
    [InlineData("a) Z 1 (b")]
    [InlineData("Web Content")]
    public void Process_stat_reads_the_fields_after_a_command_holding_spaces_and_parentheses(string command)
    {
        var stat = ProcessStat.Parse(ProcFixtures.Stat(4242, command, 'Z', start: 777, blockIoTicks: 1234), "/proc/4242/stat");

        Assert.Equal(4242, stat.Pid);
        Assert.Equal(command, stat.Command);
        Assert.True(stat.IsZombie);
        Assert.Equal(777UL, stat.StartTicks);
        Assert.Equal(1234UL, stat.BlockIoDelayTicks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 cat S 1")]
    [InlineData("4242 (cat) S 1 2 3")]
    [InlineData("\0\0\u00ff garbage (x")]
    public void A_stat_line_that_is_not_one_is_an_error_naming_the_file(string text)
    {
        var error = Assert.Throws<ProbeInputException>(() => ProcessStat.Parse(text, "/proc/4242/stat"));
        Assert.StartsWith("/proc/4242/stat", error.Message);
    }

    [Fact]
    public void Twenty_zombies_raise_excessive_zombie_processes_only_once_sustained_for_twenty_five_minutes()
    {
        var watch = new ZombieWatch();

        for (var minute = 0; minute < 25; minute += 5)
            Assert.Null(watch.Observe(20, T0.AddMinutes(minute)));
        var problem = watch.Observe(31, T0.AddMinutes(25));

        Assert.Equal("ExcessiveZombieProcesses", problem?.Reason);
        Assert.Contains("31 zombie processes", problem!.Message);
    }

    [Fact]
    public void A_poll_below_twenty_zombies_restarts_the_sustained_time()
    {
        var watch = new ZombieWatch();
        watch.Observe(40, T0);
        watch.Observe(40, T0.AddMinutes(20));
        watch.Observe(19, T0.AddMinutes(22));

        Assert.Null(watch.Observe(40, T0.AddMinutes(30)));
        Assert.NotNull(watch.Observe(40, T0.AddMinutes(55)));
    }

    [Fact]
    public void More_than_a_thousand_environment_variables_raise_large_environment()
    {
        var environ = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 1001).Select(i => $"SVC_{i}_SERVICE_HOST=10.0.0.{i % 250}\0")));

        var count = EnvironmentSizeCheck.CountVariables(environ);
        var problem = EnvironmentSizeCheck.Check(77, "java", count);

        Assert.Equal(1001, count);
        Assert.Equal("LargeEnvironment", problem?.Reason);
        Assert.Equal("77", problem!.Entity);
    }

    [Fact]
    public void A_thousand_environment_variables_are_healthy_and_empty_entries_do_not_count()
    {
        var environ = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 999).Select(i => $"V{i}=x\0")) + "\0\0LAST=no-nul");

        Assert.Equal(1000, EnvironmentSizeCheck.CountVariables(environ));
        Assert.Null(EnvironmentSizeCheck.Check(77, "java", 1000));
        Assert.Equal(0, EnvironmentSizeCheck.CountVariables([]));
    }

    [Fact]
    public void Zram_holding_more_than_ten_percent_of_its_disksize_raises_zram_high_usage()
    {
        // mm_stat: orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages pages_compacted huge_pages huge_pages_since
        var stored = ZramUsageCheck.StoredBytes("1073745920 268436480 270000128        0 270000128      512        0        0        0\n", "/sys/block/zram0/mm_stat");

        var problem = ZramUsageCheck.Check("zram0", stored, diskSize: 8589934592);

        Assert.Equal("ZramHighUsage", problem?.Reason);
        Assert.Equal("zram0", problem!.Entity);
        Assert.Null(ZramUsageCheck.Check("zram0", 858993459, diskSize: 8589934592));
        Assert.Null(ZramUsageCheck.Check("zram0", 0, diskSize: 0));
    }

    [Fact]
    public void An_adjtimex_status_with_sta_unsync_raises_clock_unsynchronized()
    {
        Assert.Equal("ClockUnsynchronized", ClockSyncCheck.Check(0x0041)?.Reason);
        Assert.Equal("ClockUnsynchronized", ClockSyncCheck.Check(0x6040)?.Reason);
        // STA_PLL alone, and STA_NANO|STA_PLL (chrony synchronized): synchronized.
        Assert.Null(ClockSyncCheck.Check(0x0001));
        Assert.Null(ClockSyncCheck.Check(0x2001));
    }
}

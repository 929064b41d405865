using NodeHealth.Actors.Detection.LogLines;

namespace NodeHealth.Actors.Tests.Detection.LogLines;

public sealed class KernelLineFormTests
{
    private static readonly int Year = DateTime.UtcNow.Year;

    [Fact]
    public void Raw_kmsg_record_yields_its_text_and_time_since_boot()
    {
        Assert.True(KernelLineForm.TryParse("4,1234,23456789,-;watchdog: BUG: soft lockup - CPU#6 stuck for 23s! [VM Thread:4054]", out var line));

        Assert.Equal("watchdog: BUG: soft lockup - CPU#6 stuck for 23s! [VM Thread:4054]", line.Text);
        Assert.Equal(DateTime.UnixEpoch.AddTicks(234_567_890), line.At);
    }

    [Fact]
    public void Raw_kmsg_record_with_a_caller_id_field_yields_its_text()
    {
        Assert.True(KernelLineForm.TryParse("6,339,5140900,-,caller=T1;NET: Registered protocol family 10", out var line));

        Assert.Equal("NET: Registered protocol family 10", line.Text);
    }

    [Fact]
    public void Kmsg_escapes_are_decoded_including_multi_byte_characters()
    {
        Assert.True(KernelLineForm.TryParse(@"6,1,1,-;rcu: \x093-....: path C:\x5cwin caf\xc3\xa9", out var line));

        Assert.Equal("rcu: \t3-....: path C:\\win café", line.Text);
    }

    [Fact]
    public void Kmsg_continuation_lines_carry_no_kernel_text()
    {
        Assert.False(KernelLineForm.TryParse(" SUBSYSTEM=pci", out _));
        Assert.False(KernelLineForm.TryParse(" DEVICE=+pci:0000:00:1f.2", out _));
    }

    [Fact]
    public void A_line_indented_like_a_stack_frame_is_text_not_a_continuation()
    {
        Assert.True(KernelLineForm.TryParse(" process_one_work+0x1b6/0x350", out var line));

        Assert.Equal(" process_one_work+0x1b6/0x350", line.Text);
    }

    [Fact]
    public void Dmesg_line_yields_text_after_the_stamp()
    {
        Assert.True(KernelLineForm.TryParse("[ 12345.678901] EXT4-fs (nvme1n1): Remounting filesystem read-only", out var line));

        Assert.Equal("EXT4-fs (nvme1n1): Remounting filesystem read-only", line.Text);
        Assert.Equal(DateTime.UnixEpoch.AddTicks(123_456_789_010), line.At);
    }

    [Theory]
    [InlineData("[    0.000000][    T0] Linux version 6.1.112-122.189.amzn2023.x86_64")]
    [InlineData("[    0.000000] [T0] Linux version 6.1.112-122.189.amzn2023.x86_64")]
    [InlineData("[    0.000000][    C3] Linux version 6.1.112-122.189.amzn2023.x86_64")]
    public void Dmesg_caller_id_is_removed(string raw)
    {
        Assert.True(KernelLineForm.TryParse(raw, out var line));

        Assert.Equal("Linux version 6.1.112-122.189.amzn2023.x86_64", line.Text);
    }

    [Fact]
    public void Dmesg_human_stamp_is_read_as_wall_time()
    {
        Assert.True(KernelLineForm.TryParse("[Tue Jan  2 10:00:01 2024] nvme nvme1: resetting controller", out var line));

        Assert.Equal("nvme nvme1: resetting controller", line.Text);
        Assert.Equal(new DateTime(2024, 1, 2, 10, 0, 1, DateTimeKind.Utc), line.At);
    }

    [Fact]
    public void Syslog_kernel_line_yields_text_and_wall_time_with_or_without_a_dmesg_stamp()
    {
        Assert.True(KernelLineForm.TryParse("Mar  5 10:00:01 ip-10-0-1-23 kernel: [ 1234.5678] nf_conntrack: table full, dropping packet", out var stamped));
        Assert.True(KernelLineForm.TryParse("Mar 05 10:00:01 ip-10-0-1-23 kernel: nf_conntrack: table full, dropping packet", out var bare));

        Assert.Equal("nf_conntrack: table full, dropping packet", stamped.Text);
        Assert.Equal("nf_conntrack: table full, dropping packet", bare.Text);
        Assert.Equal(new DateTime(Year, 3, 5, 10, 0, 1, DateTimeKind.Utc), stamped.At);
        Assert.Equal(stamped.At, bare.At);
    }

    [Fact]
    public void Rfc3339_syslog_kernel_line_yields_text_and_utc_time()
    {
        Assert.True(KernelLineForm.TryParse("2024-05-01T12:34:56.250000+02:00 node-1 kernel: Out of memory: Killed process 1 (a)", out var line));

        Assert.Equal("Out of memory: Killed process 1 (a)", line.Text);
        Assert.Equal(new DateTime(2024, 5, 1, 10, 34, 56, 250, DateTimeKind.Utc), line.At);
    }

    [Fact]
    public void Syslog_line_of_another_program_is_not_kernel_text()
    {
        Assert.False(KernelLineForm.TryParse("Mar  5 10:00:01 ip-10-0-1-23 containerd[812]: level=info msg=\"segfault at 0\"", out _));
    }

    [Theory]
    [InlineData("watchdog: BUG: soft lockup - CPU#6 stuck for 23s! [VM Thread:4054]")]
    [InlineData("4,1234")]
    [InlineData("4,1234,99,-")]
    [InlineData("[ 12.34 unterminated stamp")]
    [InlineData("Mar 99 10:00:01 host kernel: text")]
    [InlineData("2024-13-01T00:00:00Z host kernel: text")]
    public void Anything_else_is_bare_kernel_text(string raw)
    {
        Assert.True(KernelLineForm.TryParse(raw, out var line));

        Assert.Equal(raw, line.Text);
        Assert.Null(line.At);
    }

    [Fact]
    public void Empty_line_carries_no_text()
    {
        Assert.False(KernelLineForm.TryParse("", out _));
    }
}

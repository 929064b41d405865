using NodeHealth.Actors.Detection.LogLines;

namespace NodeHealth.Actors.Tests.Detection.LogLines;

public sealed class JournalLineFormTests
{
    [Fact]
    public void Journalctl_short_prefix_is_removed_and_dates_the_line()
    {
        Assert.True(JournalLineForm.TryParse("Jan 02 10:00:00 ip-10-0-1-23 kubelet[2345]: E0102 10:00:00.123456 2345 kubelet.go:1] boom", out var line));

        Assert.Equal("E0102 10:00:00.123456 2345 kubelet.go:1] boom", line.Text);
        Assert.Equal(new DateTime(DateTime.UtcNow.Year, 1, 2, 10, 0, 0, DateTimeKind.Utc), line.At);
    }

    [Fact]
    public void Journalctl_short_iso_and_precise_prefixes_are_removed()
    {
        Assert.True(JournalLineForm.TryParse("2026-01-02T10:00:00+0000 ip-10-0-1-23 containerd[812]: time=x", out var iso));
        Assert.True(JournalLineForm.TryParse("Jan 02 10:00:00.500000 ip-10-0-1-23 systemd[1]: Failed to start containerd.", out var precise));

        Assert.Equal("time=x", iso.Text);
        Assert.Equal(new DateTime(2026, 1, 2, 10, 0, 0, DateTimeKind.Utc), iso.At);
        Assert.Equal("Failed to start containerd.", precise.Text);
        Assert.Equal(500, precise.At!.Value.Millisecond);
    }

    [Fact]
    public void Cri_container_log_prefix_is_removed()
    {
        Assert.True(JournalLineForm.TryParse("2026-01-02T10:00:00.123456789Z stderr F E0102 reflector.go:138] Failed to watch", out var line));

        Assert.Equal("E0102 reflector.go:138] Failed to watch", line.Text);
        Assert.Equal(new DateTime(2026, 1, 2, 10, 0, 0, 123, DateTimeKind.Utc).AddTicks(4567), line.At);
    }

    [Fact]
    public void Json_line_is_dated_by_its_ts_field_and_kept_whole()
    {
        const string raw = """{"level":"info","ts":"2026-01-04T10:00:00.000Z","caller":"main.go:30","msg":"Starting L-IPAMD"}""";

        Assert.True(JournalLineForm.TryParse(raw, out var line));

        Assert.Equal(raw, line.Text);
        Assert.Equal(new DateTime(2026, 1, 4, 10, 0, 0, DateTimeKind.Utc), line.At);
    }

    [Fact]
    public void Bare_line_is_its_own_text_without_time()
    {
        Assert.True(JournalLineForm.TryParse("runtime: failed to create new OS thread (have 12 already; errno=11)", out var line));

        Assert.Equal("runtime: failed to create new OS thread (have 12 already; errno=11)", line.Text);
        Assert.Null(line.At);
    }

    [Fact]
    public void Journalctl_boot_markers_carry_no_text()
    {
        Assert.False(JournalLineForm.TryParse("-- Boot 1f2e3d4c5b6a79801f2e3d4c5b6a7980 --", out _));
    }
}

using NodeHealth.Actors.Agent.Logs;
using NodeHealth.NodeHost;
using NodeHealth.NodeHost.Kernel;

namespace NodeHealth.NodeHost.Tests.Kernel;

/// <summary>Against the real /dev/kmsg of this machine (CI runs as root in a VM).</summary>
public sealed class DevKmsgSourceTests
{
    private readonly DevKmsgSource _source = new(new HostPaths("/"));
    private readonly string _marker = "node-health-test-" + Guid.NewGuid().ToString("N")[..8];

    private static void Write(string line) => File.AppendAllText("/dev/kmsg", line + "\n");

    private static List<string> ReadAll(ILogReader reader, Func<List<string>, bool> enough, out string? cursor)
    {
        var texts = new List<string>();
        cursor = null;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!enough(texts) && DateTime.UtcNow < deadline)
        {
            var read = reader.Read(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            texts.AddRange(read.Records.Select(r => r.Text));
            cursor = read.Cursor ?? cursor;
        }

        return texts;
    }

    [Fact]
    public void First_start_begins_at_the_end_and_reads_only_new_records()
    {
        Write($"<6>{_marker} before");
        using var reader = _source.Open(resumeAfter: null);
        Write($"<4>{_marker} after");

        var texts = ReadAll(reader, t => t.Any(x => x.Contains($"{_marker} after")), out var cursor);

        Assert.DoesNotContain(texts, t => t.Contains($"{_marker} before"));
        Assert.Contains($"{_marker} after", texts);
        Assert.Matches(@"^[0-9a-f-]+:\d+$", cursor);
    }

    [Fact]
    public void Record_time_since_boot_converts_to_the_wall_clock_time_it_was_written()
    {
        using var reader = _source.Open(resumeAfter: null);
        var written = DateTime.UtcNow;
        Write($"<6>{_marker} timed");

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            var read = reader.Read(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            if (read.Records.FirstOrDefault(r => r.Text == $"{_marker} timed") is not { } record)
                continue;
            Assert.InRange(record.At!.Value, written.AddSeconds(-2), DateTime.UtcNow);
            return;
        }

        Assert.Fail("the record written did not come back");
    }

    [Fact]
    public void Record_time_is_boot_time_plus_its_microseconds_and_never_later_than_it_was_read()
    {
        var bootedAt = new DateTime(2026, 11, 27, 8, 0, 0, DateTimeKind.Utc);
        var now = bootedAt.AddHours(1);

        Assert.Equal(bootedAt.AddMinutes(30), DevKmsgReader.WallClock(bootedAt, (long)TimeSpan.FromMinutes(30).TotalMicroseconds, now));
        Assert.Equal(now, DevKmsgReader.WallClock(bootedAt, (long)TimeSpan.FromHours(4).TotalMicroseconds, now));
        Assert.Equal(now, DevKmsgReader.WallClock(bootedAt, long.MaxValue, now));
        Assert.Equal(bootedAt, DevKmsgReader.WallClock(bootedAt, 0, now));
    }

    [Fact]
    public void Resuming_from_a_cursor_neither_repeats_nor_skips()
    {
        string? cursor;
        using (var reader = _source.Open(resumeAfter: null))
        {
            Write($"<6>{_marker} one");
            ReadAll(reader, t => t.Contains($"{_marker} one"), out cursor);
        }

        Write($"<6>{_marker} two"); // While nobody reads.
        using var resumed = _source.Open(cursor);
        Write($"<6>{_marker} three");

        var texts = ReadAll(resumed, t => t.Contains($"{_marker} three"), out _).Where(t => t.StartsWith(_marker)).ToList();
        Assert.Equal([$"{_marker} two", $"{_marker} three"], texts);
    }

    [Fact]
    public void Cursor_from_another_boot_reads_the_whole_current_buffer()
    {
        Write($"<6>{_marker} already there");
        using var reader = _source.Open("00000000-0000-0000-0000-000000000000:999999999");

        var texts = ReadAll(reader, t => t.Contains($"{_marker} already there"), out _);

        Assert.Contains($"{_marker} already there", texts);
    }

    [Fact]
    public void Start_at_the_end_learns_its_cursor_from_the_first_record_it_reads()
    {
        using var reader = _source.Open(resumeAfter: null);
        Assert.Matches(@"^[0-9a-f-]+:@\d+$", reader.Read(TimeSpan.FromMilliseconds(100), CancellationToken.None).Cursor); // Nothing read yet: the kernel clock at the skip.

        Write($"<6>{_marker} first");
        var texts = ReadAll(reader, t => t.Contains($"{_marker} first"), out var cursor);

        Assert.Equal([$"{_marker} first"], texts.Where(t => t.StartsWith(_marker)));
        using var resumed = _source.Open(cursor);
        Write($"<6>{_marker} second");
        Assert.Equal([$"{_marker} second"], ReadAll(resumed, t => t.Contains($"{_marker} second"), out _).Where(t => t.StartsWith(_marker)));
    }

    [Fact]
    public void A_start_stopped_before_anything_was_logged_resumes_with_what_was_logged_while_it_was_down()
    {
        Write($"<6>{_marker} before the first start");
        Thread.Sleep(TimeSpan.FromSeconds(1.5)); // Beyond the margin the skip allows for the kernel's clock.
        string? cursor;
        using (var reader = _source.Open(resumeAfter: null))
            cursor = reader.Read(TimeSpan.FromMilliseconds(100), CancellationToken.None).Cursor;

        Write($"<6>{_marker} while down");
        using var resumed = _source.Open(cursor);

        var texts = ReadAll(resumed, t => t.Contains($"{_marker} while down"), out var next).Where(t => t.StartsWith(_marker)).ToList();
        Assert.Equal([$"{_marker} while down"], texts);
        Assert.Matches(@"^[0-9a-f-]+:\d+$", next); // A record read: back to sequence cursors.
    }

    [Fact]
    public async Task Disposing_during_a_read_leaves_the_descriptor_to_the_reading_thread_which_closes_it()
    {
        var before = KmsgDescriptors();
        var reader = _source.Open(resumeAfter: null);
        var descriptor = Assert.Single(KmsgDescriptors().Except(before));
        reader.Read(TimeSpan.Zero, CancellationToken.None); // The skip's own cursor; the next read waits in poll.
        var reading = Task.Factory.StartNew(() => reader.Read(TimeSpan.FromSeconds(2), CancellationToken.None), TaskCreationOptions.LongRunning);
        await Task.Delay(300); // Let it block in poll.

        reader.Dispose();

        Assert.Contains(descriptor, KmsgDescriptors()); // Still the poll's: closing it now could hand its number to another file.
        await reading.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(descriptor, KmsgDescriptors());
    }

    [Fact]
    public void Disposing_a_reader_nobody_reads_closes_it_at_once()
    {
        var before = KmsgDescriptors();
        var reader = _source.Open(resumeAfter: null);
        Assert.Single(KmsgDescriptors().Except(before));

        reader.Dispose();

        Assert.Empty(KmsgDescriptors().Except(before));
    }

    /// <summary>This process's open descriptors of /dev/kmsg.</summary>
    private static HashSet<string> KmsgDescriptors() =>
        [.. new DirectoryInfo("/proc/self/fd").GetFiles().Where(f => f.LinkTarget == "/dev/kmsg").Select(f => f.Name)];

    [Fact]
    public void Missing_device_is_reported_as_unavailable_with_the_reason()
    {
        var source = new DevKmsgSource(new HostPaths(Path.Combine(Path.GetTempPath(), "no-such-host-root")));

        var error = Assert.Throws<LogUnavailableException>(() => source.Open(null));
        Assert.Contains("No such file", error.Message);
    }
}

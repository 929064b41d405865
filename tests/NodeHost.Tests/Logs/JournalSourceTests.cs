using System.Text;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.NodeHost.Logs.Journal;

namespace NodeHealth.NodeHost.Tests.Logs;

/// <summary>Against real .journal files written by systemd-journal-remote, read through the real libsystemd.</summary>
public sealed class JournalSourceTests : IDisposable
{
    private readonly JournalFiles _journal = new();

    private JournalSource Kubelet => JournalSource.InDirectory(_journal.Root, "kubelet");

    /// <summary>Reads until <paramref name="count"/> records came (or 10 s passed), keeping the last cursor.</summary>
    private static (List<LogRecord> Records, string? Cursor) ReadRecords(ILogReader reader, int count)
    {
        var records = new List<LogRecord>();
        string? cursor = null;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            var read = reader.Read(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            records.AddRange(read.Records);
            cursor = read.Cursor ?? cursor;
        }

        return (records, cursor);
    }

    /// <summary>Whatever more comes within a second: proves nothing else is there.</summary>
    private static List<string> ReadQuietly(ILogReader reader, ref string? cursor)
    {
        var texts = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(1);
        while (DateTime.UtcNow < deadline)
        {
            var read = reader.Read(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            texts.AddRange(read.Records.Select(r => r.Text));
            cursor = read.Cursor ?? cursor;
        }

        return texts;
    }

    [Fact]
    public void First_start_begins_after_the_last_entry_and_follows_its_identifier_only()
    {
        _journal.Append(new JournalEntry("kubelet", "before start"), new JournalEntry("containerd", "not ours"));
        using var reader = Kubelet.Open(resumeAfter: null);
        _journal.Append(new JournalEntry("kubelet", "after start 1"), new JournalEntry("containerd", "still not ours"), new JournalEntry("kubelet", "after start 2"));

        var (records, cursor) = ReadRecords(reader, 2);

        Assert.Equal(["after start 1", "after start 2"], records.Select(r => r.Text));
        Assert.NotNull(cursor);
    }

    [Fact]
    public void First_start_hands_over_the_cursor_of_the_last_entry_so_a_restart_before_any_read_skips_nothing()
    {
        _journal.Append(new JournalEntry("kubelet", "before start"));
        string? cursor = null;
        using (var first = Kubelet.Open(resumeAfter: null))
            Assert.Empty(ReadQuietly(first, ref cursor));
        Assert.NotNull(cursor);
        _journal.Append(new JournalEntry("kubelet", "while stopped"));

        using var second = Kubelet.Open(cursor);

        Assert.Equal(["while stopped"], ReadRecords(second, 1).Records.Select(r => r.Text));
    }

    [Fact]
    public void Restart_from_the_saved_cursor_neither_replays_nor_skips_and_sees_later_entries()
    {
        _journal.Append(new JournalEntry("kubelet", "old"));
        string? cursor = null;
        using (var first = Kubelet.Open(resumeAfter: null))
        {
            _journal.Append(new JournalEntry("kubelet", "one"), new JournalEntry("containerd", "x"), new JournalEntry("kubelet", "two"));
            var read = ReadRecords(first, 2);
            Assert.Equal(["one", "two"], read.Records.Select(r => r.Text));
            cursor = read.Cursor;
        }

        _journal.Append(new JournalEntry("kubelet", "three"), new JournalEntry("containerd", "y"));
        using var second = Kubelet.Open(cursor);
        var (records, next) = ReadRecords(second, 1);
        _journal.Append(new JournalEntry("kubelet", "four"));
        var later = ReadRecords(second, 1);

        Assert.Equal(["three"], records.Select(r => r.Text));
        Assert.Equal(["four"], later.Records.Select(r => r.Text));
        Assert.Empty(ReadQuietly(second, ref next));
    }

    [Fact]
    public void Resuming_from_a_cursor_in_the_middle_reads_exactly_the_entries_after_it()
    {
        _journal.Append(new JournalEntry("kubelet", "anchor"));
        string? afterOne;
        using (var reader = Kubelet.Open(resumeAfter: null))
        {
            _journal.Append(new JournalEntry("kubelet", "one"));
            afterOne = ReadRecords(reader, 1).Cursor;
        }

        _journal.Append(new JournalEntry("kubelet", "two"), new JournalEntry("kubelet", "three"));
        using var resumed = Kubelet.Open(afterOne);

        Assert.Equal(["two", "three"], ReadRecords(resumed, 2).Records.Select(r => r.Text));
    }

    [Fact]
    public void Without_entries_of_its_identifier_every_entry_that_comes_is_new_even_after_a_restart()
    {
        _journal.Append(new JournalEntry("containerd", "someone else"));
        string? cursor = null;
        using (var first = Kubelet.Open(resumeAfter: null))
            Assert.Empty(ReadQuietly(first, ref cursor));
        Assert.Equal(JournalCursor.Head, cursor);
        _journal.Append(new JournalEntry("kubelet", "first ever"));

        using var second = Kubelet.Open(cursor);

        Assert.Equal(["first ever"], ReadRecords(second, 1).Records.Select(r => r.Text));
    }

    [Fact]
    public void Entries_in_a_journal_file_that_appears_after_opening_are_read()
    {
        _journal.Append(new JournalEntry("kubelet", "anchor"));
        using var reader = Kubelet.Open(resumeAfter: null);

        _journal.AppendTo("system@rotated-0000000000000001-0000000000000001.journal", new JournalEntry("kubelet", "in the next file"));

        Assert.Equal(["in the next file"], ReadRecords(reader, 1).Records.Select(r => r.Text));
    }

    [Fact]
    public void Records_carry_the_time_the_journal_dated_them()
    {
        _journal.Append(new JournalEntry("kubelet", "anchor"));
        using var reader = Kubelet.Open(resumeAfter: null);
        _journal.Append(new JournalEntry("kubelet", "dated"));

        var record = ReadRecords(reader, 1).Records.Single();

        Assert.Equal(_journal.Dates[^1], record.At);
    }

    [Fact]
    public void Huge_and_invalid_utf8_messages_are_bounded_and_decoded()
    {
        _journal.Append(new JournalEntry("kubelet", "anchor"));
        using var reader = Kubelet.Open(resumeAfter: null);
        _journal.Append(
            new JournalEntry("kubelet", new string('x', 1024 * 1024)),
            new JournalEntry("kubelet", [.. "bad "u8, 0xC3, 0x28, 0xFF, .. " bytes"u8]),
            new JournalEntry("kubelet", "next"));

        var texts = ReadRecords(reader, 3).Records.Select(r => r.Text).ToList();

        Assert.Equal(3, texts.Count);
        Assert.Equal(new string('x', JournalReader.MaxMessageBytes) + JournalReader.CutMarker, texts[0]);
        Assert.Equal("bad \uFFFD(\uFFFD bytes", texts[1]);
        Assert.Equal("next", texts[2]);
    }

    [Fact]
    public void Host_journal_is_read_from_var_log_journal_and_run_log_journal_under_the_host_root()
    {
        var root = Path.Combine(_journal.Root, "host");
        using var persistent = new JournalFiles(Path.Combine(root, "var/log/journal"));
        using var volatileJournal = new JournalFiles(Path.Combine(root, "run/log/journal"));
        persistent.Append(new JournalEntry("kubelet", "anchor"));
        using var reader = JournalSource.OfHost(new HostPaths(root), "kubelet").Open(resumeAfter: null);
        volatileJournal.Append(new JournalEntry("kubelet", "in /run"));
        persistent.Append(new JournalEntry("kubelet", "in /var"));

        var texts = ReadRecords(reader, 2).Records.Select(r => r.Text);

        Assert.Equal(["in /run", "in /var"], texts.Order());
    }

    [Fact]
    public void Missing_journal_directories_are_reported_as_not_present_rather_than_failing()
    {
        var root = Path.Combine(_journal.Root, "no-journal-here");

        var error = Assert.Throws<LogNotPresentException>(() => JournalSource.OfHost(new HostPaths(root), "kubelet").Open(null));

        Assert.Contains("var/log/journal", error.Message);
        Assert.Contains("run/log/journal", error.Message);
    }

    [Fact]
    public void Missing_libsystemd_is_named_with_the_fix()
    {
        Assert.Null(SdJournal.Unavailable());
        Assert.Contains("install libsystemd0", SdJournal.Unavailable("libsystemd-missing.so.0"));
    }

    [Fact]
    public void Source_is_named_as_the_catalog_names_it()
    {
        Assert.Equal("journal-kubelet", Kubelet.Name);
        Assert.Contains("SYSLOG_IDENTIFIER=kubelet", Kubelet.Description);
    }

    [Fact]
    public void Message_decoding_cuts_long_messages_and_drops_the_trailing_newline()
    {
        Assert.Equal("line", JournalMessage.Decode("line\n"u8, 16));
        Assert.Equal("abcd" + JournalReader.CutMarker, JournalMessage.Decode("abcdefgh"u8, 4));
        Assert.Equal("\uFFFD", JournalMessage.Decode([0xFF], 16));
        Assert.Equal(Encoding.UTF8.GetString("é"u8), JournalMessage.Decode("é"u8, 16));
    }

    public void Dispose() => _journal.Dispose();
}

using System.Text;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.NodeHost.Logs.Files;

namespace NodeHealth.NodeHost.Tests.Logs;

/// <summary>Real files in a temporary directory, rotated the two ways logrotate does it.</summary>
public sealed class LogFileSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nh-logfile-").FullName;

    private string LogPath => Path.Combine(_directory, "messages");

    private LogFileSource Source => new("messages", LogPath);

    private static LogRead ReadOnce(ILogReader reader) => reader.Read(TimeSpan.FromMilliseconds(10), CancellationToken.None);

    /// <summary>Reads until nothing more comes, collecting texts and the last cursor.</summary>
    private static (List<string> Texts, string? Cursor, int Malformed) ReadAll(ILogReader reader)
    {
        var texts = new List<string>();
        string? cursor = null;
        var malformed = 0;
        for (var quiet = 0; quiet < 2;)
        {
            var read = ReadOnce(reader);
            texts.AddRange(read.Records.Select(r => r.Text));
            cursor = read.Cursor ?? cursor;
            malformed += read.Malformed;
            quiet = read.Records.Count == 0 && read.Cursor is null && read.Malformed == 0 ? quiet + 1 : 0;
        }

        return (texts, cursor, malformed);
    }

    private void Append(string text) => File.AppendAllText(LogPath, text);

    [Fact]
    public void First_start_reads_only_lines_written_after_it()
    {
        Append("old 1\nold 2\n");
        using var reader = Source.Open(resumeAfter: null);
        Append("new 1\n");

        Assert.Equal(["new 1"], ReadAll(reader).Texts);
    }

    [Fact]
    public void Partial_last_line_is_held_until_its_newline()
    {
        Append("anchor\n");
        using var reader = Source.Open(resumeAfter: null);

        Append("fork/exec /usr/bin/runc: resource ");
        var partial = ReadAll(reader);
        Append("temporarily unavailable\n");

        Assert.Empty(partial.Texts);
        Assert.Equal(["fork/exec /usr/bin/runc: resource temporarily unavailable"], ReadAll(reader).Texts);
    }

    [Fact]
    public void First_start_in_the_middle_of_a_line_skips_its_rest()
    {
        Append("whole\nhalf of a li");
        using var reader = Source.Open(resumeAfter: null);
        Append("ne\nnext\n");

        Assert.Equal(["next"], ReadAll(reader).Texts);
    }

    [Fact]
    public void Restart_from_the_saved_cursor_neither_replays_nor_skips()
    {
        Append("anchor\n");
        string? cursor;
        using (var first = Source.Open(resumeAfter: null))
        {
            Append("one\ntwo\nthr");
            var read = ReadAll(first);
            Assert.Equal(["one", "two"], read.Texts);
            cursor = read.Cursor;
        }

        Append("ee\nfour\n");
        using var second = Source.Open(cursor);

        Assert.Equal(["three", "four"], ReadAll(second).Texts);
    }

    [Fact]
    public void Rename_and_create_reads_the_old_file_to_its_end_then_the_new_one_from_its_start()
    {
        Append("anchor\n");
        using var reader = Source.Open(resumeAfter: null);
        Append("one\n");
        File.Move(LogPath, LogPath + ".1");
        File.AppendAllText(LogPath + ".1", "written before the writer reopened\nlast line without newline");
        Append("two\n");

        Assert.Equal(["one", "written before the writer reopened", "last line without newline", "two"], ReadAll(reader).Texts);
    }

    [Fact]
    public void Rename_and_create_while_stopped_reads_the_rest_of_the_rotated_file_first()
    {
        Append("anchor\n");
        string? cursor;
        using (var first = Source.Open(resumeAfter: null))
        {
            Append("one\n");
            cursor = ReadAll(first).Cursor;
        }

        Append("two\n");
        File.Move(LogPath, LogPath + "-20261127");
        Append("three\n");
        using var second = Source.Open(cursor);

        Assert.Equal(["two", "three"], ReadAll(second).Texts);
    }

    [Fact]
    public void Copytruncate_reads_the_file_again_from_its_start()
    {
        Append("anchor line that is long\n");
        using var reader = Source.Open(resumeAfter: null);
        Append("one\n");
        Assert.Equal(["one"], ReadAll(reader).Texts);

        File.Copy(LogPath, LogPath + ".1");
        using (var truncate = new FileStream(LogPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            truncate.SetLength(0);
        Append("two\n");

        Assert.Equal(["two"], ReadAll(reader).Texts);
    }

    [Fact]
    public void Copytruncate_while_stopped_reads_the_file_from_its_start()
    {
        Append("anchor line that is long\n");
        string? cursor;
        using (var first = Source.Open(resumeAfter: null))
        {
            Append("one\n");
            cursor = ReadAll(first).Cursor;
        }

        using (var truncate = new FileStream(LogPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            truncate.SetLength(0);
        Append("two\n");
        using var second = Source.Open(cursor);

        Assert.Equal(["two"], ReadAll(second).Texts);
    }

    [Fact]
    public void File_that_does_not_exist_yet_is_waited_for_and_read_from_its_first_line()
    {
        var source = new LogFileSource("ipamd", Path.Combine(_directory, "aws-routed-eni", "ipamd.log"));
        using var reader = source.Open(resumeAfter: null);
        Assert.Contains("not there yet", source.Description);
        Assert.Empty(ReadAll(reader).Texts);

        Directory.CreateDirectory(Path.Combine(_directory, "aws-routed-eni"));
        File.WriteAllText(source.Path, "first\nsecond\n");

        Assert.Equal(["first", "second"], ReadAll(reader).Texts);
        Assert.Equal(source.Path, source.Description);
    }

    [Fact]
    public void Line_of_a_mebibyte_is_skipped_and_counted_and_the_next_line_is_intact()
    {
        Append("anchor\n");
        string? cursor;
        using (var reader = Source.Open(resumeAfter: null))
        {
            Append(new string('x', 1024 * 1024) + "\nafter\n");
            var read = ReadAll(reader);
            Assert.Equal(["after"], read.Texts);
            Assert.Equal(1, read.Malformed);
            cursor = read.Cursor;
        }

        Assert.Equal(new FileInfo(LogPath).Length, FilePosition.Parse(cursor)!.Offset);
    }

    [Fact]
    public void Invalid_utf8_is_read_as_replacement_characters()
    {
        Append("anchor\n");
        using var reader = Source.Open(resumeAfter: null);
        using (var file = new FileStream(LogPath, FileMode.Append))
            file.Write([.. Encoding.ASCII.GetBytes("bad "), 0xC3, 0x28, 0xFF, .. Encoding.ASCII.GetBytes(" bytes\n")]);

        Assert.Equal(["bad \uFFFD(\uFFFD bytes"], ReadAll(reader).Texts);
    }

    [Fact]
    public void Source_is_named_as_the_catalog_names_it() => Assert.Equal("file-messages", Source.Name);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

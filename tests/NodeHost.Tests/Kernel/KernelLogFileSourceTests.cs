using System.Text;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.NodeHost.Kernel;

namespace NodeHealth.NodeHost.Tests.Kernel;

public sealed class KernelLogFileSourceTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"kern-{Guid.NewGuid():N}.log");

    private static LogRead ReadOnce(ILogReader reader) => reader.Read(TimeSpan.FromMilliseconds(10), CancellationToken.None);

    [Fact]
    public void Replays_kmsg_records_and_plain_lines_from_the_start()
    {
        File.WriteAllText(_path, "4,100,5,-;watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [a:1]\nplain dmesg text\n");
        using var reader = new KernelLogFileSource(_path).Open(null);

        var read = ReadOnce(reader);

        Assert.Equal(["watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [a:1]", "plain dmesg text"], read.Records.Select(r => r.Text));
        Assert.Equal("2", read.Cursor);
        Assert.All(read.Records, r => Assert.Null(r.At)); // No boot time to date them by: seen when read.
    }

    [Fact]
    public void Resumes_after_its_cursor_and_follows_the_file_as_it_grows()
    {
        File.WriteAllText(_path, "one\ntwo\n");
        using var reader = new KernelLogFileSource(_path).Open("1");

        Assert.Equal(["two"], ReadOnce(reader).Records.Select(r => r.Text));
        File.AppendAllText(_path, "thr");
        Assert.Empty(ReadOnce(reader).Records); // A partial line waits for its newline.
        File.AppendAllText(_path, "ee\n");
        Assert.Equal(["three"], ReadOnce(reader).Records.Select(r => r.Text));
    }

    [Fact]
    public void Huge_line_is_cut_and_the_next_line_is_intact()
    {
        File.WriteAllText(_path, new string('x', 5_000_000) + "\nnext\n");
        using var reader = new KernelLogFileSource(_path).Open(null);

        var records = ReadOnce(reader).Records;

        Assert.Equal(2, records.Count);
        Assert.True(records[0].Text.Length <= KernelLogFileSource.MaxLineBytes + 20);
        Assert.EndsWith("[line cut]", records[0].Text);
        Assert.Equal("next", records[1].Text);
    }

    [Fact]
    public void Invalid_utf8_becomes_replacement_characters()
    {
        File.WriteAllBytes(_path, [.. Encoding.ASCII.GetBytes("bad "), 0xC3, 0x28, 0xFF, .. Encoding.ASCII.GetBytes(" bytes\n")]);
        using var reader = new KernelLogFileSource(_path).Open(null);

        var text = ReadOnce(reader).Records.Single().Text;

        Assert.StartsWith("bad \uFFFD", text);
        Assert.EndsWith(" bytes", text);
    }

    [Fact]
    public void Missing_file_is_reported_as_unavailable()
    {
        Assert.Throws<LogUnavailableException>(() => new KernelLogFileSource(_path + ".missing").Open(null));
    }

    public void Dispose() => File.Delete(_path);
}

using System.Diagnostics;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.NodeHost.Logs.Files;

namespace NodeHealth.NodeHost.Tests.Logs;

/// <summary>
/// A quiet log file costs its reader no wake-ups: inotify wakes it when the file or its directory changes. The
/// readers here would poll only once a minute, so every line seen within seconds was seen through inotify.
/// </summary>
public sealed class LogFileWatchTests : IDisposable
{
    private static readonly TimeSpan NoPolling = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("nh-logwatch-").FullName;

    private string LogPath => Path.Combine(_directory, "messages");

    private LogFileReader OpenIdle()
    {
        File.AppendAllText(LogPath, "anchor line that is long enough to be truncated under\n");
        var reader = new LogFileReader(LogPath, saved: null, LogFileSource.MaxLineBytes, NoPolling);
        // The first reads report the starting cursor and add the watches; then the reader sleeps.
        for (var i = 0; i < 3; i++)
            reader.Read(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        Assert.True(reader.Watching, "inotify should watch the file and its directory");
        return reader;
    }

    /// <summary>Reads as the monitor does (long waits) on another thread until <paramref name="count"/> lines came or <see cref="Promptly"/> passed.</summary>
    private static async Task<(List<string> Texts, TimeSpan Took)> ReadWhile(ILogReader reader, int count, Action change)
    {
        using var giveUp = new CancellationTokenSource(Promptly);
        var texts = new List<string>();
        var reading = Task.Run(() =>
        {
            while (texts.Count < count && !giveUp.IsCancellationRequested)
                texts.AddRange(reader.Read(TimeSpan.FromSeconds(30), giveUp.Token).Records.Select(r => r.Text));
        });
        await Task.Delay(200); // The reader is asleep in its wait by now.
        var clock = Stopwatch.StartNew();
        change();
        await reading;
        return (texts, clock.Elapsed);
    }

    [Fact]
    public async Task A_line_appended_to_a_quiet_file_is_read_at_once_not_at_the_next_poll()
    {
        using var reader = OpenIdle();

        var (texts, took) = await ReadWhile(reader, 1, () => File.AppendAllText(LogPath, "kernel: nfs: server not responding\n"));

        Assert.Equal(["kernel: nfs: server not responding"], texts);
        Assert.True(took < Promptly, $"took {took}");
    }

    [Fact]
    public async Task Rename_and_create_rotation_is_followed_at_once()
    {
        using var reader = OpenIdle();

        var (texts, _) = await ReadWhile(reader, 3, () =>
        {
            File.AppendAllText(LogPath, "last line before rotation\n");
            File.Move(LogPath, LogPath + ".1");
            File.AppendAllText(LogPath + ".1", "written before the writer reopened\n");
            File.WriteAllText(LogPath, "first line of the new file\n");
        });

        Assert.Equal(["last line before rotation", "written before the writer reopened", "first line of the new file"], texts);
    }

    [Fact]
    public async Task The_new_file_after_rotation_is_watched_too()
    {
        using var reader = OpenIdle();
        await ReadWhile(reader, 1, () =>
        {
            File.Move(LogPath, LogPath + ".1");
            File.WriteAllText(LogPath, "first line of the new file\n");
        });

        var (texts, _) = await ReadWhile(reader, 1, () => File.AppendAllText(LogPath, "second line of the new file\n"));

        Assert.Equal(["second line of the new file"], texts);
    }

    [Fact]
    public async Task Copytruncate_rotation_is_followed_at_once()
    {
        using var reader = OpenIdle();

        var (texts, _) = await ReadWhile(reader, 1, () =>
        {
            using var truncate = new FileStream(LogPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            truncate.SetLength(0);
            truncate.Write("after truncation\n"u8);
        });

        Assert.Equal(["after truncation"], texts);
    }

    [Fact]
    public async Task A_file_created_in_a_watched_directory_is_read_at_once()
    {
        var path = Path.Combine(_directory, "cron.log");
        using var reader = new LogFileReader(path, saved: null, LogFileSource.MaxLineBytes, NoPolling);
        reader.Read(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        Assert.True(reader.Watching, "a missing file in an existing directory is watched through its directory");

        var (texts, _) = await ReadWhile(reader, 1, () => File.WriteAllText(path, "CROND[42]: (root) CMD (run-parts /etc/cron.hourly)\n"));

        Assert.Equal(["CROND[42]: (root) CMD (run-parts /etc/cron.hourly)"], texts);
    }

    [Fact]
    public void A_quiet_reader_returns_at_once_when_cancelled()
    {
        using var reader = OpenIdle();
        using var stopping = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        var read = reader.Read(TimeSpan.FromSeconds(30), stopping.Token);

        Assert.Empty(read.Records);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Without_its_directory_the_file_is_polled_and_read_once_it_appears()
    {
        var path = Path.Combine(_directory, "aws-routed-eni", "ipamd.log");
        using var reader = new LogFileReader(path, saved: null, LogFileSource.MaxLineBytes, TimeSpan.FromMilliseconds(50));
        reader.Read(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        Assert.False(reader.Watching);

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "Starting L-IPAMD\n");
        var texts = new List<string>();
        for (var deadline = DateTime.UtcNow + Promptly; texts.Count == 0 && DateTime.UtcNow < deadline;)
            texts.AddRange(reader.Read(TimeSpan.FromSeconds(1), CancellationToken.None).Records.Select(r => r.Text));

        Assert.Equal(["Starting L-IPAMD"], texts);
        reader.Read(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        Assert.True(reader.Watching, "once its directory exists it is watched");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

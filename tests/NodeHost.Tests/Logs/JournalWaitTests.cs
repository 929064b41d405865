using System.Diagnostics;
using NodeHealth.NodeHost.Logs.Journal;

namespace NodeHealth.NodeHost.Tests.Logs;

/// <summary>The journal reader's thread sleeps until the journal changes or it is closed: no timer wakes it while the journal is quiet.</summary>
public sealed class JournalWaitTests : IDisposable
{
    private readonly JournalFiles _journal = new();

    [Fact]
    public void A_quiet_journal_costs_its_reader_no_wake_ups_an_entry_wakes_it_and_disposing_ends_its_thread_at_once()
    {
        var identifier = $"quiet{Random.Shared.Next(10, 99)}"; // journal-quietNN: the thread's name, unique in this test run.
        _journal.Append(new JournalEntry(identifier, "anchor"));
        var reader = JournalSource.InDirectory(_journal.Root, identifier).Open(resumeAfter: null);
        reader.Read(TimeSpan.FromMilliseconds(500), CancellationToken.None); // The starting cursor.
        Thread.Sleep(300);
        var thread = ReaderThread($"journal-{identifier}") ?? throw new InvalidOperationException("no reader thread");

        var before = VoluntarySwitches(thread);
        Thread.Sleep(2500);
        var idleWakeUps = VoluntarySwitches(thread) - before;
        _journal.Append(new JournalEntry(identifier, "E1127 kubelet_node_status.go:585] \"Error updating node status, will retry\""));
        var texts = new List<string>();
        for (var deadline = DateTime.UtcNow.AddSeconds(5); texts.Count == 0 && DateTime.UtcNow < deadline;)
            texts.AddRange(reader.Read(TimeSpan.FromMilliseconds(200), CancellationToken.None).Records.Select(r => r.Text));
        var clock = Stopwatch.StartNew();
        reader.Dispose();
        while (ReaderThread($"journal-{identifier}") is not null && clock.Elapsed < TimeSpan.FromSeconds(5))
            Thread.Sleep(20);

        Assert.True(idleWakeUps <= 1, $"the reader's thread woke {idleWakeUps} times in 2.5 s of a quiet journal");
        Assert.Equal(["E1127 kubelet_node_status.go:585] \"Error updating node status, will retry\""], texts);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the reader's thread ended {clock.Elapsed} after Dispose");
    }

    /// <summary>The thread's id, by the name Linux keeps for it (15 bytes at most).</summary>
    private static string? ReaderThread(string name) =>
        Directory.EnumerateDirectories("/proc/self/task")
            .FirstOrDefault(task => File.Exists(Path.Combine(task, "comm")) && ReadOrEmpty(Path.Combine(task, "comm")).Trim() == name);

    private static long VoluntarySwitches(string task) =>
        long.Parse(File.ReadLines(Path.Combine(task, "status")).First(l => l.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal)).Split(':')[1].Trim());

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return ""; // The thread ended while we looked.
        }
    }

    public void Dispose() => _journal.Dispose();
}

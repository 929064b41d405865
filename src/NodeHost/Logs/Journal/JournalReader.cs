using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using NodeHealth.Actors.Agent.Logs;

namespace NodeHealth.NodeHost.Logs.Journal;

/// <summary>
/// Reads one identifier's entries from the systemd journal. libsystemd requires an sd_journal to be used by
/// the one thread that opened it for its whole life, so a dedicated thread opens, reads and closes it and
/// hands batches over through a small bounded queue (back-pressure: it stops reading while two wait).
/// While idle the thread sleeps in poll(2) on the journal's inotify descriptor: it wakes when the journal changes
/// or when <see cref="Dispose"/> asks it to close the journal (an eventfd), never on a timer.
/// </summary>
internal sealed unsafe class JournalReader : ILogReader
{
    /// <summary>A MESSAGE longer than this is cut (journald itself accepts up to 48 KiB per stdout line, more from syslog).</summary>
    public const int MaxMessageBytes = 16 * 1024;
    public const string CutMarker = " …[message cut]";
    private const int MaxEntriesPerRead = 256;
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(30);
    /// <summary>A backstop only: libsystemd names its own shorter timeout (<see cref="SdJournal.GetTimeout"/>) when its inotify cannot be relied on.</summary>
    private static readonly TimeSpan MaxIdleWait = TimeSpan.FromMinutes(1);

    private readonly JournalQuery _query;
    private readonly BlockingCollection<LogRead> _reads = new(boundedCapacity: 2);
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _failure;
    private bool _currentUnread;

    private JournalReader(JournalQuery query) => _query = query;

    /// <summary>Opens the journal on its own thread; throws <see cref="LogUnavailableException"/> when it cannot.</summary>
    public static JournalReader Start(JournalQuery query)
    {
        var reader = new JournalReader(query);
        new Thread(reader.Run) { IsBackground = true, Name = $"journal-{query.Identifier}" }.Start();
        bool opened;
        try
        {
            // Bounded and brief (opening maps the journal files): the caller learns at once whether the journal can be read.
            opened = reader._opened.Task.Wait(OpenTimeout);
        }
        catch (AggregateException e) when (e.InnerException is { } cause)
        {
            throw cause as LogUnavailableException ?? new LogUnavailableException(cause.Message, cause);
        }

        if (!opened)
        {
            reader.Dispose();
            throw new LogUnavailableException($"opening {query.Where} took longer than {OpenTimeout.TotalSeconds:0} s");
        }

        return reader;
    }

    public LogRead Read(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            if (_reads.TryTake(out var read, (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue), cancellationToken))
                return read;
        }
        catch (OperationCanceledException)
        {
            return LogRead.Nothing(null);
        }

        if (_reads.IsCompleted && _failure is { } failure && !_closing.IsCancellationRequested)
            throw new IOException($"Reading {_query.Where} failed: {failure.Message}", failure);
        return LogRead.Nothing(null);
    }

    public void Dispose() => _closing.Cancel();

    private void Run()
    {
        nint journal = 0;
        try
        {
            journal = Open();
            var start = Position(journal);
            _opened.SetResult();
            if (start is not null)
                _reads.Add(LogRead.Nothing(start), _closing.Token);
            Follow(journal);
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            if (!_opened.TrySetException(e as LogUnavailableException ?? new LogUnavailableException(e.Message, e)))
                _failure = e;
        }
        finally
        {
            if (journal != 0)
                SdJournal.Close(journal);
            _reads.CompleteAdding();
        }
    }

    private nint Open()
    {
        var result = SdJournal.OpenDirectory(out var journal, _query.Path, _query.Flags);
        if (result < 0)
            throw new LogUnavailableException($"sd_journal_open_directory({_query.Path}) failed: {SdJournal.Describe(result)}");
        SdJournal.SetDataThreshold(journal, MaxMessageBytes + 64);
        var match = Encoding.UTF8.GetBytes($"{JournalQuery.IdentifierField}={_query.Identifier}");
        fixed (byte* data = match)
            result = SdJournal.AddMatch(journal, data, (nuint)match.Length);
        if (result < 0)
        {
            SdJournal.Close(journal);
            throw new LogUnavailableException($"sd_journal_add_match({JournalQuery.IdentifierField}={_query.Identifier}) failed: {SdJournal.Describe(result)}");
        }

        return journal;
    }

    /// <summary>
    /// Places the journal after the last entry handled and returns the cursor to save at once (null: keep the
    /// saved one). A cursor whose entry is gone (vacuumed) lands on the next entry, which is then unread.
    /// </summary>
    private string? Position(nint journal)
    {
        var resume = JournalCursor.Parse(_query.ResumeAfter);
        if (resume == JournalCursor.Head)
        {
            SdJournal.SeekHead(journal);
            return null;
        }

        if (resume is { } cursor && SdJournal.SeekCursor(journal, cursor) >= 0)
        {
            var next = Check(SdJournal.Next(journal), "sd_journal_next");
            _currentUnread = next > 0 && SdJournal.TestCursor(journal, cursor) <= 0;
            return null;
        }

        // First start (or a cursor libsystemd rejects): from the end, the last entry counting as read.
        Check(SdJournal.SeekTail(journal), "sd_journal_seek_tail");
        if (Check(SdJournal.Previous(journal), "sd_journal_previous") > 0)
            return SdJournal.CurrentCursor(journal);
        // No entry of this identifier yet: every one that comes is new, across restarts too.
        SdJournal.SeekHead(journal);
        return JournalCursor.Head;
    }

    private void Follow(nint journal)
    {
        // Before the first read: a change from here on makes the descriptor readable, so none is missed between a read and the wait.
        var changes = Check(SdJournal.GetFd(journal), "sd_journal_get_fd");
        using var wait = DescriptorWait.Create() ?? throw new IOException($"eventfd() failed: no descriptor left to wait on {_query.Where} with");
        while (!_closing.IsCancellationRequested)
        {
            var records = new List<LogRecord>();
            var malformed = 0;
            string? cursor = null;
            while (records.Count + malformed < MaxEntriesPerRead && NextEntry(journal))
            {
                if (Entry(journal) is { } record)
                    records.Add(record);
                else
                    malformed++;
                cursor = SdJournal.CurrentCursor(journal) ?? cursor;
            }

            if (records.Count > 0 || malformed > 0)
            {
                _reads.Add(new LogRead(records, cursor, 0, malformed), _closing.Token);
                continue;
            }

            if (!WaitForChange(journal, changes, wait))
                return;
        }
    }

    /// <summary>Sleeps until the journal changes (or libsystemd's timeout passes) and takes the changes in; false when closing.</summary>
    private bool WaitForChange(nint journal, int changes, DescriptorWait wait)
    {
        var events = Check(SdJournal.GetEvents(journal), "sd_journal_get_events");
        Check(SdJournal.GetTimeout(journal, out var until), "sd_journal_get_timeout");
        var timeout = MaxIdleWait;
        if (until != ulong.MaxValue)
        {
            var now = (ulong)Stopwatch.GetElapsedTime(0).TotalMicroseconds; // CLOCK_MONOTONIC, as libsystemd counts.
            timeout = until <= now ? TimeSpan.Zero : TimeSpan.FromMicroseconds((long)Math.Min(until - now, (ulong)MaxIdleWait.TotalMicroseconds));
        }

        wait.Wait(changes, (short)events, timeout, _closing.Token);
        if (_closing.IsCancellationRequested)
            return false;
        Check(SdJournal.Process(journal), "sd_journal_process");
        return true;
    }

    private bool NextEntry(nint journal)
    {
        if (!_currentUnread)
            return Check(SdJournal.Next(journal), "sd_journal_next") > 0;
        _currentUnread = false;
        return true;
    }

    /// <summary>The entry's MESSAGE, cut to <see cref="MaxMessageBytes"/>, invalid UTF-8 as U+FFFD, dated by the journal; null without one.</summary>
    private static LogRecord? Entry(nint journal)
    {
        if (SdJournal.GetData(journal, "MESSAGE", out var data, out var length) < 0 || length < 8)
            return null;
        var text = JournalMessage.Decode(new ReadOnlySpan<byte>(data + 8, (int)Math.Min(length - 8, (nuint)MaxMessageBytes + 1)), MaxMessageBytes);
        if (SdJournal.GetRealtimeUsec(journal, out var usec) < 0 || usec > (ulong)(DateTime.MaxValue - DateTime.UnixEpoch).Ticks / 10)
            return new LogRecord(text, null);
        // A clock set back since the entry was written would date it in the future: never later than read.
        var at = DateTime.UnixEpoch.AddTicks((long)usec * 10);
        var now = DateTime.UtcNow;
        return new LogRecord(text, at < now ? at : now);
    }

    private int Check(int result, string call) =>
        result >= 0 ? result : throw new IOException($"{call} on {_query.Where} failed: {SdJournal.Describe(result)}");
}

namespace NodeHealth.Actors.Agent.Logs;

/// <summary>
/// A log the agent watches: /dev/kmsg, a journal identifier, a log file, or a replay of one. A cursor is an
/// opaque string the source made; resuming from it neither repeats nor skips a record.
/// </summary>
public interface ILogSource
{
    /// <summary>The catalog's source name for its rules: kmsg, journal-kubelet, file-messages.</summary>
    string Name { get; }

    /// <summary>For messages: "/dev/kmsg", "replay of /var/log/kern.log".</summary>
    string Description { get; }

    /// <summary>
    /// Opens the log after <paramref name="resumeAfter"/>, or at its end when there is no cursor.
    /// Throws <see cref="LogUnavailableException"/> when it cannot be read, saying why.
    /// </summary>
    ILogReader Open(string? resumeAfter);
}

public interface ILogReader : IDisposable
{
    /// <summary>Waits up to <paramref name="timeout"/> for records and returns what was read (possibly nothing).</summary>
    LogRead Read(TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>One log line. <see cref="At"/>: the wall-clock UTC time the source dated it, never later than it was read; null when unknown.</summary>
public sealed record LogRecord(string Text, DateTime? At);

/// <summary>
/// Records read in order. <see cref="Cursor"/> is the position after the last of them (or after records
/// skipped); <see cref="Lost"/> counts records the source overwrote or dropped before we read them;
/// <see cref="Malformed"/> counts records that could not be parsed.
/// </summary>
public sealed record LogRead(IReadOnlyList<LogRecord> Records, string? Cursor, long Lost, int Malformed)
{
    public static LogRead Nothing(string? cursor) => new([], cursor, 0, 0);
}

public sealed class LogUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The log is not kept on this host at all (no journal directory, say): an absence, not a failure. Its monitor
/// watches nothing and says so without turning conditions Unknown, and looks again later.
/// </summary>
public sealed class LogNotPresentException(string message) : Exception(message);

namespace NodeHealth.Actors.Agent.Logs;

// Placeholder with the agreed shape (issue6-interfaces.md) until branch engine (H1) lands its own; H1's file wins on merge.

public interface ILogSource
{
    /// <summary>The catalog source name: kmsg, journal-kubelet, file-messages, ...</summary>
    string Name { get; }

    string Description { get; }

    ILogReader Open(string? resumeAfter);
}

public interface ILogReader : IDisposable
{
    LogRead Read(TimeSpan timeout, CancellationToken cancellationToken);
}

public sealed record LogRecord(string Text, DateTime? At);

public sealed record LogRead(IReadOnlyList<LogRecord> Records, string? Cursor, long Lost, int Malformed)
{
    public static LogRead Nothing(string? cursor) => new([], cursor, 0, 0);
}

public sealed class LogUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

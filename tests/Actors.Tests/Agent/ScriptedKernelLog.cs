using System.Collections.Concurrent;
using NodeHealth.Actors.Agent.Logs;

namespace NodeHealth.Actors.Tests.Agent;

/// <summary>One line of a scripted log: its cursor is its sequence number.</summary>
public sealed record ScriptedLine(long Sequence, string Text, DateTime? At = null);

/// <summary>A kernel log the test writes to; one record per read; cursors are record sequence numbers.</summary>
public sealed class ScriptedKernelLog : ILogSource, ILogReader
{
    public readonly BlockingCollection<ScriptedLine> Records = new();
    public string? OpenedAfter;
    public bool Unreadable;
    public bool NotPresent;
    public int Opens;

    public string Name => "kmsg";

    public string Description => "scripted log";

    public ILogReader Open(string? resumeAfter)
    {
        Opens++;
        if (Unreadable)
            throw new LogUnavailableException("Permission denied");
        if (NotPresent)
            throw new LogNotPresentException("no journal is kept on this host");
        OpenedAfter = resumeAfter;
        return this;
    }

    public LogRead Read(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!Records.TryTake(out var line, timeout))
            return LogRead.Nothing(null);
        return new LogRead([new LogRecord(line.Text, line.At)], line.Sequence.ToString(), 0, 0);
    }

    public static ScriptedLine SoftLockup(long sequence, string tag = "stress") =>
        new(sequence, $"watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [{tag}:{sequence}]");

    public void Dispose()
    {
    }
}

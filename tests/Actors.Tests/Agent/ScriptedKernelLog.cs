using System.Collections.Concurrent;
using NodeHealth.Actors.Agent.Kernel;
using NodeHealth.Actors.Detection;

namespace NodeHealth.Actors.Tests.Agent;

/// <summary>A kernel log the test writes to; one record per read; cursors are record sequence numbers.</summary>
public sealed class ScriptedKernelLog : IKernelLogSource, IKernelLogReader
{
    public readonly BlockingCollection<KmsgRecord> Records = new();
    public string? OpenedAfter;
    public bool Unreadable;
    public int Opens;
    public DateTime? BootedAt;

    public string Description => "scripted log";

    public IKernelLogReader Open(string? resumeAfter)
    {
        Opens++;
        if (Unreadable)
            throw new KernelLogUnavailableException("Permission denied");
        OpenedAfter = resumeAfter;
        return this;
    }

    public KernelLogRead Read(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!Records.TryTake(out var record, timeout))
            return KernelLogRead.Nothing(null);
        return new KernelLogRead([record], record.Sequence.ToString(), 0, 0, BootedAt);
    }

    public static KmsgRecord SoftLockup(long sequence, string tag = "stress") =>
        new(4, sequence, 0, $"watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [{tag}:{sequence}]");

    public void Dispose()
    {
    }
}

using NodeHealth.Actors.Detection;

namespace NodeHealth.Actors.Agent.Kernel;

/// <summary>
/// Where the kernel log comes from: /dev/kmsg on a real host, a file when replaying. A cursor is an
/// opaque string the source made; resuming from it neither repeats nor skips a record.
/// </summary>
public interface IKernelLogSource
{
    /// <summary>For messages: "/dev/kmsg", "replay of /var/log/kern.log".</summary>
    string Description { get; }

    /// <summary>
    /// Opens the log after <paramref name="resumeAfter"/>, or at its end when there is no cursor.
    /// Throws <see cref="KernelLogUnavailableException"/> when it cannot be read, saying why.
    /// </summary>
    IKernelLogReader Open(string? resumeAfter);
}

public interface IKernelLogReader : IDisposable
{
    /// <summary>Waits up to <paramref name="timeout"/> for records and returns what was read (possibly nothing).</summary>
    KernelLogRead Read(TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>
/// Records read in order. <see cref="Cursor"/> is the position after the last of them (or after
/// records skipped); <see cref="Lost"/> counts records the kernel overwrote before we read them.
/// <see cref="BootedAt"/>, when the source knows it, turns a record's microseconds since boot into
/// wall-clock time (approximately, as <c>dmesg -T</c> does); otherwise records count as seen when read.
/// </summary>
public sealed record KernelLogRead(IReadOnlyList<KmsgRecord> Records, string? Cursor, long Lost, int Malformed, DateTime? BootedAt = null)
{
    public static KernelLogRead Nothing(string? cursor) => new([], cursor, 0, 0);
}

public sealed class KernelLogUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

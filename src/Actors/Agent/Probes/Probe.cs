using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Probes;

/// <summary>
/// A periodic check of host state: <see cref="Poll"/> reads (the I/O half) and returns what is failing now
/// (the pure half's answer). Throws <see cref="ProbeUnavailableException"/> when its input cannot be read.
/// </summary>
public interface IProbe
{
    /// <summary>Short name; the catalog source of its reasons is <c>probe-&lt;name&gt;</c>.</summary>
    string Name { get; }

    ConditionType Condition { get; }

    TimeSpan Interval { get; }

    /// <summary>What it reads, for the monitor status ("/sys/class/net under /host").</summary>
    string Description { get; }

    ProbeOutcome Poll();

    /// <summary>
    /// Reasons of its condition it raises although their catalog source is another (FilesystemReadOnly's rule reads
    /// the kernel log; the mount probe raises and recovers it too).
    /// </summary>
    IReadOnlyList<string> AlsoRaises => [];
}

/// <summary>One (reason, entity) failing its check now; <paramref name="Entity"/> is e.g. the interface name, null for the host as a whole.</summary>
public sealed record ProbeFailure(string Reason, string? Entity, string Message)
{
    /// <summary>
    /// Milder than the catalog's severity where the probe knows this entity matters less (a read-only data disk
    /// rather than the kubelet's); null: the catalog's. Never graver: the catalog's severity is the ceiling.
    /// </summary>
    public Severity? Severity { get; init; }
}

/// <summary>What one poll found.</summary>
public abstract record ProbeOutcome
{
    /// <summary>The check ran: these fail, every other (reason, entity) of the probe passes.</summary>
    public sealed record Checked(IReadOnlyList<ProbeFailure> Failing) : ProbeOutcome
    {
        /// <summary>
        /// False when the tool did not answer and <see cref="Failing"/> repeats what it last said plus a finding about the
        /// tool (DCGMError): the failures are news, but nothing absent from them may be taken as passed.
        /// </summary>
        public bool Complete { get; init; } = true;
    }

    /// <summary>What the probe checks does not exist on this host (no conntrack module, no ENA): nothing to watch, nothing wrong.</summary>
    public sealed record Absent(string Why) : ProbeOutcome;

    public static ProbeOutcome Passing { get; } = new Checked([]);
}

/// <summary>The probe's input exists but cannot be read; the message names the path and the error.</summary>
public class ProbeUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

public static class Probes
{
    public static string SourceName(string probeName) => "probe-" + probeName;
}

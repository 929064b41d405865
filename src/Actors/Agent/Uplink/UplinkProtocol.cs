using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Agent.Uplink;

/// <summary>A finding as a monitor sees it, before the uplink gives it its node, agent run and sequence.</summary>
public sealed record FindingDraft(
    ConditionType Condition,
    string Reason,
    Severity Severity,
    string Message,
    DateTime ObservedAt,
    string Source,
    string? Entity = null,
    RecoveryMode Recovery = RecoveryMode.None,
    TimeSpan QuietFor = default,
    int Count = 1);

/// <summary>
/// A probe-backed fault's check passes again: <paramref name="Entity"/> (null: the host) passed on probe
/// <paramref name="Probe"/>; <paramref name="Detail"/> says how, for the coordinator's "probe &lt;name&gt;: &lt;detail&gt;".
/// </summary>
public sealed record RecoveryDraft(
    ConditionType Condition,
    string Reason,
    string? Entity,
    string Probe,
    string Detail,
    DateTime ObservedAt)
{
    /// <summary>For a family recovery (<paramref name="Reason"/> a template): its concrete reasons still failing, which stay.</summary>
    public IReadOnlyList<string> StillFailing { get; init; } = [];
}

/// <summary>
/// Monitor → uplink: deliver these, and remember that <paramref name="Source"/> has been read up to
/// <paramref name="Cursor"/>. Replies <see cref="FindingsSpooled"/> once they are on disk, or
/// <see cref="SpoolFailed"/>; without a reply (the uplink was restarting) the monitor sends it again.
/// <see cref="Recoveries"/> travel after the findings, in the same order as everything the uplink sends.
/// </summary>
public sealed record PublishFindings(IReadOnlyList<FindingDraft> Findings, string Source, string Cursor)
{
    public IReadOnlyList<RecoveryDraft> Recoveries { get; init; } = [];
}

/// <summary>The findings published with this cursor are spooled: the monitor may read on.</summary>
public sealed record FindingsSpooled(string Source, string Cursor);

/// <summary>The findings published with this cursor could not be spooled (<paramref name="Problem"/> names the file and the error); nothing was kept.</summary>
public sealed record SpoolFailed(string Source, string Cursor, string Problem);

/// <summary>Monitor → uplink: the source was read up to <paramref name="Cursor"/> and produced nothing more.</summary>
public sealed record SaveCursor(string Source, string Cursor);

/// <summary>Monitor → uplink: where did reading <paramref name="Source"/> stop last time? Replies <see cref="CursorResult"/>.</summary>
public sealed record GetCursor(string Source);

public sealed record CursorResult(string Source, string? Cursor);

/// <summary>
/// Uplink → monitors (on the event stream): the uplink (re)started and knows nothing sent to it while
/// it was down; monitors report their state again and resend what is unconfirmed.
/// </summary>
public sealed record UplinkStarted
{
    public static readonly UplinkStarted Instance = new();
}

/// <summary>
/// Monitor → uplink: this monitor's state changed. <see cref="Component"/> names the part that watches the
/// condition (a log source, <c>probe-interfaces</c>); the uplink reports the worst of a condition's components.
/// </summary>
public sealed record ReportMonitorStatus(MonitorStatus Status)
{
    public string Component { get; init; } = Status.Condition.ToString();
}

/// <summary>Asks the uplink for its counters; replies <see cref="UplinkStatus"/>.</summary>
public sealed record GetUplinkStatus
{
    public static readonly GetUplinkStatus Instance = new();
}

/// <summary>
/// <paramref name="SpoolFailures"/> counts spool writes that failed since start; <paramref name="SpoolProblem"/>
/// is the last one while the spool is still unwritable (null once a write succeeds again).
/// <paramref name="Quarantined"/> counts findings set aside as invalid.
/// </summary>
public sealed record UplinkStatus(
    bool Connected, int Pending, long Dropped, long Sent, long Acknowledged,
    long SpoolFailures = 0, string? SpoolProblem = null, long Quarantined = 0);

/// <summary>
/// Command executor → uplink: commands from the coordinator go to the sender (sent at its start and whenever the uplink
/// starts again). Without one, a command is dropped: the coordinator sends it again with the next reconnect or heartbeat.
/// </summary>
public sealed record HandleAgentCommands
{
    public static readonly HandleAgentCommands Instance = new();
}

/// <summary>Command executor → uplink: send this answer up (dropped while disconnected: the command comes again, and so does the answer).</summary>
public sealed record SendCommandResult(NodeHealth.Contracts.Wire.AgentCommandResult Result);

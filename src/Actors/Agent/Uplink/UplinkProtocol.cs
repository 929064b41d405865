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
    TimeSpan QuietFor = default);

/// <summary>Monitor → uplink: deliver these, and remember that <paramref name="Source"/> has been read up to <paramref name="Cursor"/>.</summary>
public sealed record PublishFindings(IReadOnlyList<FindingDraft> Findings, string Source, string Cursor);

/// <summary>Monitor → uplink: the source was read up to <paramref name="Cursor"/> and produced nothing more.</summary>
public sealed record SaveCursor(string Source, string Cursor);

/// <summary>Monitor → uplink: where did reading <paramref name="Source"/> stop last time? Replies <see cref="CursorResult"/>.</summary>
public sealed record GetCursor(string Source);

public sealed record CursorResult(string Source, string? Cursor);

/// <summary>Monitor → uplink: this monitor's state changed.</summary>
public sealed record ReportMonitorStatus(MonitorStatus Status);

/// <summary>Asks the uplink for its counters; replies <see cref="UplinkStatus"/>.</summary>
public sealed record GetUplinkStatus
{
    public static readonly GetUplinkStatus Instance = new();
}

public sealed record UplinkStatus(bool Connected, int Pending, long Dropped, long Sent, long Acknowledged);

using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Contracts.Wire;

/// <summary>
/// The rules a finding must meet to be ingested, in one place: the agent checks them before it
/// sends (and quarantines what fails), the coordinator checks them again on arrival.
/// </summary>
public static class FindingValidation
{
    /// <summary>gRPC trailers of an InvalidArgument that name the finding at fault, so the agent can set exactly that one aside.</summary>
    public const string RejectedAgentRunTrailer = "nh-rejected-agent-run";
    public const string RejectedSequenceTrailer = "nh-rejected-sequence";

    /// <summary>What is wrong with the finding (whose node it reports for aside), or null when it is valid.</summary>
    public static string? Problem(Finding f)
    {
        if (!ConditionTypes.IsDefined(f.Condition))
            return $"condition {f.Condition} is not known";
        if (f.Severity is not (Severity.Info or Severity.Warning or Severity.Fatal))
            return $"severity {f.Severity} is not known";
        if (ReasonProblem(f.Reason) is { } reason)
            return reason;
        if (f.Message is not { Length: <= IngestLimits.MaxMessageLength })
            return $"message is missing or longer than {IngestLimits.MaxMessageLength}";
        if (f.Source is not { Length: > 0 and <= IngestLimits.MaxSourceLength })
            return "source is missing or too long";
        if (f.Entity is { Length: > IngestLimits.MaxEntityLength })
            return $"entity is longer than {IngestLimits.MaxEntityLength}";
        if (f.ObservedAt == default)
            return "observedAt is missing";
        if (AgentBootIdProblem(f.AgentBootId) is { } bootId)
            return bootId;
        if (f.Sequence <= 0)
            return "sequence must be positive";
        if (f.Severity == Severity.Fatal ? !Enum.IsDefined(f.Recovery) || f.Recovery == RecoveryMode.None : f.Recovery != RecoveryMode.None)
            return $"recovery {f.Recovery} does not fit severity {f.Severity} (a Fatal finding needs reboot, probe, quiet or manual; others none)";
        if (f.Recovery == RecoveryMode.Quiet ? f.QuietFor <= TimeSpan.Zero || f.QuietFor > IngestLimits.MaxQuietFor : f.QuietFor != TimeSpan.Zero)
            return $"quietFor must be set (up to {IngestLimits.MaxQuietFor.TotalDays:0} days) for recovery quiet, and only then";
        if (f.Count is < 0 or > IngestLimits.MaxFindingCount)
            return $"count {f.Count} must be 0 to {IngestLimits.MaxFindingCount} (0 and 1 both mean one occurrence)";
        if (f.HostBootId is not { Length: <= IngestLimits.MaxBootIdLength })
            return $"host boot id is missing or longer than {IngestLimits.MaxBootIdLength}";
        return null;
    }

    /// <summary>What is wrong with the probe recovery (whose node it reports for aside), or null when it is valid.</summary>
    public static string? Problem(ProbeRecovery r)
    {
        if (!ConditionTypes.IsDefined(r.Condition))
            return $"condition {r.Condition} is not known";
        var family = IsFamilyTemplate(r.Reason);
        if (!family && ReasonProblem(r.Reason) is { } reason)
            return reason + " (or, for a family recovery, a template with one {name} placeholder)";
        var stillFailing = r.StillFailing;
        if (!family && stillFailing.Length > 0)
            return "stillFailing is only for a family recovery (a reason template such as DCGMHealthCode{code})";
        if (stillFailing.Length > IngestLimits.MaxStillFailing)
            return $"stillFailing lists {stillFailing.Length} reasons, more than {IngestLimits.MaxStillFailing}";
        if (stillFailing.Select(ReasonProblem).FirstOrDefault(p => p is not null) is { } failing)
            return $"stillFailing: {failing}";
        if (r.Probe is not { Length: > 0 and <= IngestLimits.MaxSourceLength } || !r.Probe.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            return $"probe must be 1 to {IngestLimits.MaxSourceLength} ASCII letters, digits, '-', '_' or '.'";
        if (r.Detail is not { Length: <= IngestLimits.MaxMessageLength })
            return $"detail is missing or longer than {IngestLimits.MaxMessageLength}";
        if (r.Entity is { Length: > IngestLimits.MaxEntityLength })
            return $"entity is longer than {IngestLimits.MaxEntityLength}";
        if (r.ObservedAt == default)
            return "observedAt is missing";
        if (AgentBootIdProblem(r.AgentBootId) is { } bootId)
            return bootId;
        if (r.Sequence <= 0)
            return "sequence must be positive";
        if (r.HostBootId is not { Length: <= IngestLimits.MaxBootIdLength })
            return $"host boot id is missing or longer than {IngestLimits.MaxBootIdLength}";
        return null;
    }

    /// <summary>
    /// A reason is ASCII letters and digits, and hyphens where a family's value has them (My-Custom-ServiceRepeatedRestart).
    /// Whether it means anything is the coordinator's catalog's to say (<see cref="ReasonCatalog.Rule"/>).
    /// </summary>
    public static string? ReasonProblem(string? reason) =>
        reason is { Length: > 0 and <= IngestLimits.MaxReasonLength } && char.IsAsciiLetterOrDigit(reason[0]) && reason.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? null
            : $"reason must be 1 to {IngestLimits.MaxReasonLength} ASCII letters, digits and hyphens, starting with a letter or digit";

    /// <summary>
    /// A family's reason template as a family recovery names it: letters, digits and hyphens around one {name}
    /// placeholder of letters and digits (DCGMHealthCode{code}, {unit}RepeatedRestart).
    /// </summary>
    public static bool IsFamilyTemplate(string? reason)
    {
        if (reason is not { Length: > 2 and <= IngestLimits.MaxReasonLength })
            return false;
        var (open, close) = (reason.IndexOf('{'), reason.IndexOf('}'));
        if (open < 0 || close < open + 2 || reason.IndexOf('{', open + 1) >= 0 || reason.IndexOf('}', close + 1) >= 0)
            return false;
        var outside = string.Concat(reason.AsSpan(0, open), reason.AsSpan(close + 1));
        return reason.AsSpan(open + 1, close - open - 1).ToString().All(char.IsAsciiLetterOrDigit)
            && outside.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
    }

    public static string? AgentBootIdProblem(string? bootId) =>
        bootId is { Length: > 0 and <= IngestLimits.MaxBootIdLength } ? null : $"agent boot id is missing or longer than {IngestLimits.MaxBootIdLength}";
}

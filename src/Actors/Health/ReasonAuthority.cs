using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Health;

/// <summary>
/// The coordinator is the authority for what a reason means (DESIGN D3): an agent's catalog decides
/// only what to detect. A reason the coordinator's catalog does not define never holds a condition:
/// it is recorded as a Warning that says so.
/// </summary>
public static class ReasonAuthority
{
    public const string UnknownReasonNote = " [reason not in the coordinator's catalog: recorded as a warning]";

    /// <summary>
    /// Reasons whose severity depends on which filesystem the agent found it on, which only the agent's mount
    /// table tells: Fatal when it backs "/", the kubelet's or the container runtime's directory, else Warning.
    /// For these the catalog's severity is the most the reason can mean; an agent may report it milder, never
    /// graver, so a read-only data disk is an event while a read-only kubelet disk holds StorageReady False.
    /// </summary>
    public static readonly IReadOnlySet<(ConditionType Condition, string Reason)> FilesystemScoped = new HashSet<(ConditionType, string)>
    {
        (ConditionType.StorageReady, "FilesystemReadOnly"),
        (ConditionType.StorageReady, "FilesystemShutdown"),
    };

    /// <summary>
    /// Families whose severity the tool that reports them grades: DCGM's health check says Failure (Fatal, the
    /// catalog's) or Warning for each incident, so the agent may report a concrete reason milder, never graver.
    /// </summary>
    public static readonly IReadOnlySet<(ConditionType Condition, string Family)> ToolGraded = new HashSet<(ConditionType, string)>
    {
        (ConditionType.AcceleratedHardwareReady, "DCGMHealthCode{code}"),
    };

    public static Finding Interpret(ReasonCatalog catalog, Finding finding) =>
        catalog.Rule(finding.Condition, finding.Reason) is { } rule
            ? finding with { Severity = SeverityOf(rule, finding), Recovery = rule.Recovery, QuietFor = rule.QuietFor, Repair = rule.Repair }
            : finding with
            {
                Severity = Severity.Warning,
                Recovery = RecoveryMode.None,
                QuietFor = TimeSpan.Zero,
                Repair = RepairAction.None,
                Message = finding.Message + UnknownReasonNote,
            };

    private static Severity SeverityOf(ReasonRule rule, Finding finding) =>
        (FilesystemScoped.Contains((rule.Condition, rule.Reason)) || ToolGraded.Contains((rule.Condition, rule.Family?.Template ?? rule.Reason))) && finding.Severity is > Severity.Unknown and < Severity.Fatal && finding.Severity < rule.Severity
            ? finding.Severity
            : rule.Severity;
}

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

    public static Finding Interpret(ReasonCatalog catalog, Finding finding) =>
        catalog.Rule(finding.Condition, finding.Reason) is { } rule
            ? finding with { Severity = rule.Severity, Recovery = rule.Recovery, QuietFor = rule.QuietFor, Repair = rule.Repair }
            : finding with
            {
                Severity = Severity.Warning,
                Recovery = RecoveryMode.None,
                QuietFor = TimeSpan.Zero,
                Repair = RepairAction.None,
                Message = finding.Message + UnknownReasonNote,
            };
}

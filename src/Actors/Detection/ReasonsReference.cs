using System.Text;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection;

/// <summary>Renders the catalog as the reasons reference (docs/reasons.md), so the docs never drift from the rules.</summary>
public static class ReasonsReference
{
    public static string Render(ReasonCatalog catalog)
    {
        var text = new StringBuilder();
        text.AppendLine("# Reasons reference");
        text.AppendLine();
        text.AppendLine("Generated from the built-in catalog (`src/Actors/Detection/Catalog/builtin.yaml`); do not edit by hand.");
        text.AppendLine("Reason strings are those of Amazon EKS's node monitoring agent. **Fatal** sets the condition False;");
        text.AppendLine("**Warning** is a Warning event `\"<Reason>: <message>\"`; **Info** is a Normal event.");
        foreach (var condition in catalog.Conditions)
        {
            text.AppendLine();
            text.AppendLine($"## {condition.Type}");
            text.AppendLine();
            text.AppendLine($"Healthy: `{condition.ReadyReason}`.");
            var rules = catalog.Rules.Where(r => r.Condition == condition.Type).ToList();
            if (rules.Count == 0)
            {
                text.AppendLine();
                text.AppendLine("No detection rules yet: the condition is not published.");
                continue;
            }

            text.AppendLine();
            text.AppendLine("| Reason | Severity | Source | Threshold | Recovery | Default repair | Meaning |");
            text.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var rule in rules)
                text.AppendLine($"| `{rule.Reason}` | {rule.Severity} | {rule.Source} | {Threshold(rule.Threshold)} | {Recovery(rule)} | {rule.Repair} | {rule.Description} |");
        }

        return text.ToString();
    }

    private static string Threshold(OccurrenceThreshold threshold) =>
        threshold.Count <= 1 ? "every match" : $"{threshold.Count} within {threshold.Window}";

    private static string Recovery(ReasonRule rule) => rule.Severity == Severity.Fatal ? rule.Recovery.ToString() : "—";
}

using System.Text;
using NodeHealth.Contracts;
using NodeHealth.Actors.Agent.Idle;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.Actors.Health;
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
        text.AppendLine("Generated from the built-in catalog (`src/Actors/Detection/Catalog/*.yaml`); do not edit by hand.");
        text.AppendLine("Reason strings are those of Amazon EKS's node monitoring agent. **Fatal** sets the condition False;");
        text.AppendLine("**Warning** is a Warning event `\"<Reason>: <message>\"`; **Info** is a Normal event.");
        foreach (var condition in catalog.Conditions)
        {
            text.AppendLine();
            text.AppendLine($"## {condition.Type}");
            text.AppendLine();
            text.AppendLine(condition.Hardware.IsEmpty
                ? $"Healthy: `{condition.ReadyReason}`."
                : $"Published only where its hardware is present. Healthy: {string.Join(", ", condition.Hardware.Select(h => $"`{h.ReadyReason}` ({h.Name})"))}.");
            var rules = catalog.Rules.Where(r => r.Condition == condition.Type).ToList();
            if (rules.Count == 0)
            {
                text.AppendLine();
                text.AppendLine("No detection rules yet: the condition is not published.");
                continue;
            }

            text.AppendLine();
            text.AppendLine("| Reason | Severity | Trigger | Threshold | Recovery | Default repair | Meaning |");
            text.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var rule in rules)
                text.AppendLine($"| `{rule.Reason}` | {rule.Severity} | {Cell(Trigger(rule))} | {Threshold(rule)} | {Recovery(rule)} | {Repair(rule)} | {Cell(rule.Description + Values(rule))} |");
        }

        text.AppendLine();
        text.AppendLine("## How a Fatal reason clears");
        text.AppendLine();
        text.AppendLine("- **Reboot**: when the node's agent reconnects with a new kernel boot id.");
        text.AppendLine("- **Quiet**: when the reason has not recurred for its quiet period.");
        text.AppendLine("- **Probe**: when the probe that raised it (source `probe-<name>`) sees its check pass again; the agent sends a probe recovery and the coordinator records `FaultsCleared` with cause `probe <name>: <detail>`. A recovery seen before the fault's last occurrence changes nothing.");
        text.AppendLine("- **Manual**: an operator clears it: `DELETE /api/nodes/{name}/conditions/{type}/faults/{reason}` with the operator token.");
        text.AppendLine();
        text.AppendLine("An operator can clear any fault that way, whatever its recovery mode.");
        text.AppendLine();
        text.AppendLine("## Reasons of node-health's own");
        text.AppendLine();
        text.AppendLine("| Reason | Status | Meaning |");
        text.AppendLine("|---|---|---|");
        text.AppendLine($"| `{NodeHealthMachine.AgentNotReportingReason}` | Unknown | The node's agent has been silent longer than `Coordinator:AgentLease`; a condition held False by a fault stays False. |");
        text.AppendLine($"| `{LogMonitor.KernelLogUnreadableReason}` | Unknown | The agent cannot read the kernel log (the message says why, e.g. it needs root or CAP_SYSLOG). |");
        text.AppendLine($"| `{LogMonitor.LogUnreadableReason}` | Unknown | The agent cannot read another log its rules need (a journal, a log file); the message names it and says why. |");
        text.AppendLine($"| `{LogMonitor.NotPresentReason}` | (not published) | A log the rules read is not kept on this host (no journal directory): nothing to watch, so the condition rests on its other sources; looked for again every 30 s. |");
        text.AppendLine($"| `{LogMonitor.SpoolUnwritableReason}` | Unknown | The agent cannot write its findings to its spool (the message names the file and the error). |");
        text.AppendLine($"| `{DormantMonitor.NotMonitoredReason}` | (not published) | The subsystem has no detection rules on this agent yet. |");

        return text.ToString();
    }

    /// <summary>The rule's own words, else its source and the literals a line needs (a probe's reasons: the source alone).</summary>
    public static string Trigger(ReasonRule rule) =>
        rule.Trigger ?? (rule.Literals.IsEmpty ? rule.Source : $"{rule.Source}: {string.Join(", ", rule.Literals.Select(l => $"`{l.Trim()}`"))}");

    private static string Threshold(ReasonRule rule)
    {
        var threshold = rule.Threshold.Count <= 1 ? "every match" : $"{rule.Threshold.Count} within {rule.Threshold.Window}";
        return rule.RateLimit is { } limit ? $"{threshold}; at most {limit.Count} per {limit.Window}, repeats counted" : threshold;
    }

    /// <summary>A family's default repair, or each value's where the values differ.</summary>
    private static string Repair(ReasonRule rule)
    {
        if (rule.Family is not { } family || family.Values.Values.All(v => v.Repair == rule.Repair))
            return rule.Repair.ToString();
        var byRepair = family.Values.GroupBy(v => v.Value.Repair).OrderBy(g => g.Key).Select(g => $"{g.Key}: {string.Join(", ", Ordered(g.Select(v => v.Key)))}");
        return string.Join("; ", byRepair) + (family.IsClosed ? "" : $"; other values: {rule.Repair}");
    }

    /// <summary>A family (one row): the values it takes, with what each listed value means.</summary>
    private static string Values(ReasonRule rule)
    {
        if (rule.Family is not { } family)
            return "";
        var listed = Ordered(family.Values.Keys).Select(v => family.Values[v].Description == rule.Description ? v : $"{v}: {family.Values[v].Description.TrimEnd('.')}").ToList();
        var values = family.IsClosed
            ? $" Family: `{{{family.Placeholder}}}` is one of: {string.Join("; ", listed)}."
            : $" Family: `{{{family.Placeholder}}}` is any value matching `{family.ValuePattern}`" + (listed.Count > 0 ? $"; with terms of their own: {string.Join("; ", listed)}." : ".");
        return family.ImpliedValue is { } implied ? values + $" A matching line without a {family.Placeholder} means {implied}." : values;
    }

    private static IEnumerable<string> Ordered(IEnumerable<string> values) =>
        values.OrderBy(v => v.Length).ThenBy(v => v, StringComparer.Ordinal);

    /// <summary>A table cell: a pipe would end it.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|");

    private static string Recovery(ReasonRule rule) => rule switch
    {
        { Severity: not Severity.Fatal } => "—",
        { Recovery: RecoveryMode.Quiet } => $"Quiet for {rule.QuietFor}",
        _ => rule.Recovery.ToString(),
    };
}

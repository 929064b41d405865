using System.Diagnostics.Metrics;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Metrics;

/// <summary>Findings the node entities persisted, by condition, reason and the severity the coordinator's catalog gave them.</summary>
public static class HealthMetrics
{
    private static readonly Meter Meter = new(MeterNames.Health);

    // Labels are bounded: five conditions, the catalog's reasons, three severities; never the node.
    private static readonly Counter<long> Findings = Meter.CreateCounter<long>(
        "node_health.findings", "{finding}", "Findings persisted by the node entities (occurrences), by condition, reason and severity");

    /// <summary>Counts a persisted event's findings; other events count nothing. Call after Persist, never during recovery.</summary>
    public static void Recorded(INodeHealthEvent persisted)
    {
        if (persisted is not FindingsRecorded recorded || !Findings.Enabled)
            return;
        foreach (var finding in recorded.Findings)
            Findings.Add(Contracts.Findings.Occurrences(finding),
                new("condition", finding.Condition.ToString()), new("reason", finding.Reason), new("severity", finding.Severity.ToString()));
    }
}

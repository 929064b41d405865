using NodeHealth.Actors.Yaml;
using YamlDotNet.Serialization;

namespace NodeHealth.Actors.Repair.Policy;

// The YAML shape of a repair policy file (docs/repair-policy.md); PolicyParser validates it into a RepairPolicy.

/// <summary>A mapping whose start line the loader records, so errors can name it.</summary>
internal abstract class PolicyEntry : IHasSourceLine
{
    [YamlIgnore]
    public long Line { get; set; }
}

internal sealed class PolicyFile : PolicyEntry
{
    public List<OverrideEntry?>? Overrides { get; set; }
    public EscalationEntry? Escalation { get; set; }
    public BudgetsEntry? Budgets { get; set; }
    public ZoneStormEntry? ZoneStormBreaker { get; set; }
    public List<WindowEntry?>? MaintenanceWindows { get; set; }
    public List<string>? OptOutKeys { get; set; }
    public ApprovalEntry? Approval { get; set; }
}

internal sealed class ApprovalEntry : PolicyEntry
{
    public List<string>? Actions { get; set; }
    public List<string>? Pools { get; set; }
    public string? ExpiresAfter { get; set; }
}

internal sealed class OverrideEntry : PolicyEntry
{
    public string? Condition { get; set; }
    public string? Reason { get; set; }
    public string? Wait { get; set; }
    public string? Action { get; set; }
}

internal sealed class EscalationEntry : PolicyEntry
{
    public bool? AllowReboot { get; set; }
    public string? RecurrenceWindow { get; set; }
    public int? MaxAttemptsPerNode { get; set; }
    public string? AttemptWindow { get; set; }
    public string? Backoff { get; set; }
    public string? MaxBackoff { get; set; }
}

/// <summary>A pool's limits: at the top of <c>budgets</c> for every pool, and under <c>pools</c> for one pool by name.</summary>
internal class PoolLimitsEntry : PolicyEntry
{
    public int? MaxUnhealthyCount { get; set; }
    public int? MaxUnhealthyPercent { get; set; }
    public int? SmallPoolNodes { get; set; }
    public int? MaxParallelCount { get; set; }
    public int? MaxParallelPercent { get; set; }
}

internal sealed class PoolEntry : PoolLimitsEntry
{
    public string? Name { get; set; }
}

internal sealed class BudgetsEntry : PoolLimitsEntry
{
    public List<string>? PoolLabels { get; set; }
    public string? ZoneLabel { get; set; }
    public int? MaxParallelTotal { get; set; }
    public List<PoolEntry?>? Pools { get; set; }
}

internal sealed class ZoneStormEntry : PolicyEntry
{
    public bool? Enabled { get; set; }
    public int? ThresholdPercent { get; set; }
    public string? Window { get; set; }
    public string? CoolDown { get; set; }
    public int? MinZoneNodes { get; set; }
}

internal sealed class WindowEntry : PolicyEntry
{
    public List<string>? Days { get; set; }
    public string? Start { get; set; }
    public string? End { get; set; }
    public string? TimeZone { get; set; }
}

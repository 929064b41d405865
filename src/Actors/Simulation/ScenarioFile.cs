using NodeHealth.Actors.Yaml;
using YamlDotNet.Serialization;

namespace NodeHealth.Actors.Simulation;

// The YAML shape of a scenario file (docs/simulation.md); ScenarioParser validates it into a Scenario.

/// <summary>A mapping whose start line the loader records, so errors can name it.</summary>
internal abstract class ScenarioEntry : IHasSourceLine
{
    [YamlIgnore]
    public long Line { get; set; }
}

internal sealed class ScenarioFile : ScenarioEntry
{
    public string? Name { get; set; }
    public string? Start { get; set; }
    public int? Days { get; set; }
    public ulong? Seed { get; set; }
    public string? DecideEvery { get; set; }
    public FleetEntry? Fleet { get; set; }
    public List<FaultEntry?>? Faults { get; set; }
    public LemonsEntry? Lemons { get; set; }
    public List<EventEntry?>? Events { get; set; }
    public RepairsEntry? Repairs { get; set; }
    public List<PolicyEntryOfScenario?>? Policies { get; set; }
}

internal sealed class FleetEntry : ScenarioEntry
{
    public List<PoolEntryOfScenario?>? Pools { get; set; }
}

internal sealed class PoolEntryOfScenario : ScenarioEntry
{
    public string? Name { get; set; }
    public int? Nodes { get; set; }
    public List<string>? Zones { get; set; }
    public string? Accelerator { get; set; }
    public int? AcceleratorsPerNode { get; set; }
}

internal sealed class FaultEntry : ScenarioEntry
{
    public string? Name { get; set; }
    public string? Condition { get; set; }
    public string? Status { get; set; }
    public string? Reason { get; set; }
    public double? RatePerNodeDay { get; set; }
    public string? ClearsAfter { get; set; }
    public string? Clearing { get; set; }
    public bool? RebootFixes { get; set; }
    public List<string>? Pools { get; set; }
}

internal sealed class LemonsEntry : ScenarioEntry
{
    public double? Fraction { get; set; }
    public double? RateMultiplier { get; set; }
}

internal sealed class EventEntry : ScenarioEntry
{
    public string? Type { get; set; }
    public string? At { get; set; }
    public string? Duration { get; set; }
    public string? Condition { get; set; }
    public string? Status { get; set; }
    public string? Reason { get; set; }
    public string? Zone { get; set; }
    public List<string>? Pools { get; set; }
    public double? Fraction { get; set; }
    public int? Nodes { get; set; }
    public string? UnhealthyFor { get; set; }
    public string? HealthyFor { get; set; }
    public double? Probability { get; set; }
}

internal sealed class RepairsEntry : ScenarioEntry
{
    public string? Drain { get; set; }
    public string? Reboot { get; set; }
    public string? Replace { get; set; }
    public string? VerifyTimeout { get; set; }
    public string? ManualUncordonAfter { get; set; }
    public string? ApprovalDelay { get; set; }
}

internal sealed class PolicyEntryOfScenario : ScenarioEntry
{
    public string? Name { get; set; }
    public string? File { get; set; }
    public string? Policy { get; set; }
    public string? Mode { get; set; }
}

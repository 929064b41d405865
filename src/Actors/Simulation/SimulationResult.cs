using System.Collections.Immutable;

namespace NodeHealth.Actors.Simulation;

/// <summary>Time to repair: how long slots were out of service when a repair ended the outage (fault onset to serving again).</summary>
public sealed record TimeToRepair(int Count, double P50Hours, double P90Hours, double P99Hours, double MaxHours, ImmutableArray<HistogramBucket> Histogram);

/// <summary>One bar: outages that lasted from <see cref="FromHours"/> up to <see cref="ToHours"/> (null: no upper bound).</summary>
public sealed record HistogramBucket(double FromHours, double? ToHours, int Count);

/// <summary>The fleet's serving share averaged over one stretch of the run.</summary>
public sealed record CapacityPoint(double AtHours, double Serving);

/// <summary>Invariants checked independently of the decider: both must stay 0 (docs/simulation.md).</summary>
public sealed record InvariantCounters(int BudgetViolations, int MaintenanceWindowViolations, ImmutableArray<string> Examples);

/// <summary>Everything one policy did to the fleet of a scenario.</summary>
public sealed record PolicyResult(
    string Policy,
    string Origin,
    string Mode,
    double Availability,
    double NodeHours,
    double HealthyNodeHours,
    double AcceleratorHoursLost,
    int MinServingNodes,
    int FaultsInjected,
    int RepairsStarted,
    ImmutableSortedDictionary<string, int> RepairsByAction,
    ImmutableSortedDictionary<string, int> RepairOutcomes,
    int UnnecessaryRepairs,
    int RepairsBlocked,
    ImmutableSortedDictionary<string, int> BlockedBy,
    int BreakerTrips,
    TimeToRepair TimeToRepair,
    int SelfClearedOutages,
    InvariantCounters Invariants,
    long Rounds,
    long NodeEvaluations,
    double CapacityBucketHours,
    ImmutableArray<CapacityPoint> Capacity);

/// <summary>A scenario's run: every policy side by side, with what makes the run reproducible.</summary>
public sealed record SimulationReport(
    string Scenario,
    string Origin,
    ulong Seed,
    DateTimeOffset Start,
    double Days,
    int Nodes,
    int Accelerators,
    string DecideEvery,
    ImmutableArray<PolicyResult> Policies);

using System.Collections.Immutable;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Simulation;

/// <summary>A pool of identical nodes spread round-robin over its zones (docs/simulation.md, <c>fleet.pools</c>).</summary>
public sealed record PoolSpec(string Name, int Nodes, ImmutableArray<string> Zones, string Accelerator, int AcceleratorsPerNode);

/// <summary>How a fault ends by itself: never, after a fixed time, or after an exponentially distributed time with this mean.</summary>
public sealed record Clearing(TimeSpan? After, bool Exponential)
{
    public static readonly Clearing Never = new(null, false);

    public bool Clears => After is not null;

    public override string ToString() => After is not { } after ? "never" : $"{(Exponential ? "mean " : "")}{Yaml.Duration.Text(after)}";
}

/// <summary>One cause of faults: its Poisson rate per node-day, the condition and reason it publishes, how it ends.</summary>
public sealed record FaultCause(
    string Name,
    string Condition,
    ConditionStatus Status,
    string Reason,
    double RatePerNodeDay,
    Clearing Clearing,
    bool RebootFixes,
    ImmutableArray<string> Pools);

/// <summary>A share of the first machines (not their replacements) that fail <see cref="RateMultiplier"/> times as often.</summary>
public sealed record LemonSpec(double Fraction, double RateMultiplier)
{
    public static readonly LemonSpec None = new(0, 1);
}

public enum CorrelatedKind
{
    /// <summary>Every node of a zone (or a share) shows the condition for the duration.</summary>
    ZonePartition = 0,
    /// <summary>A detector bug marks a share of healthy nodes unhealthy until it is fixed.</summary>
    BuggyDetector = 1,
    /// <summary>A reason that comes and goes on some nodes, resetting the condition's lastTransitionTime each time.</summary>
    Flapping = 2,
    /// <summary>While it lasts, a replacement joins broken with this probability.</summary>
    BrokenReplacements = 3,
}

/// <summary>A correlated event (docs/simulation.md, <c>events</c>); fields that a kind does not use keep their defaults.</summary>
public sealed record CorrelatedEvent(
    CorrelatedKind Kind,
    TimeSpan At,
    TimeSpan Duration,
    string Condition,
    ConditionStatus Status,
    string Reason,
    string? Zone,
    ImmutableArray<string> Pools,
    double Fraction,
    int Nodes,
    TimeSpan UnhealthyFor,
    TimeSpan HealthyFor,
    double Probability)
{
    public string Name => $"{Kind} at {Yaml.Duration.Text(At)}";
}

/// <summary>How long each part of a repair takes on this fleet, and when a person steps in.</summary>
public sealed record RepairTimings(TimeSpan Drain, TimeSpan Reboot, TimeSpan Replace, TimeSpan VerifyTimeout, TimeSpan ManualUncordonAfter)
{
    public static readonly RepairTimings Default = new(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(10), TimeSpan.FromHours(2),
        TimeSpan.FromMinutes(15), TimeSpan.FromHours(8));

    /// <summary>How long an operator takes to approve a repair a policy's approval clause holds (the simulated person answers every one).</summary>
    public TimeSpan ApprovalDelay { get; init; } = TimeSpan.FromMinutes(30);
}

/// <summary>A policy to compare: the real policy (parsed by RepairPolicyLoader) under a display name.</summary>
public sealed record PolicyUnderTest(string Name, RepairPolicy Policy);

/// <summary>A whole scenario: a synthetic fleet, its faults, correlated events, repair timings and the policies to compare.</summary>
public sealed record Scenario(
    string Name,
    string Origin,
    DateTimeOffset Start,
    TimeSpan Length,
    ulong Seed,
    TimeSpan DecideEvery,
    ImmutableArray<PoolSpec> Pools,
    ImmutableArray<FaultCause> Faults,
    LemonSpec Lemons,
    ImmutableArray<CorrelatedEvent> Events,
    RepairTimings Repairs,
    ImmutableArray<PolicyUnderTest> Policies)
{
    public int NodeCount => Pools.Sum(p => p.Nodes);

    public DateTimeOffset End => Start + Length;
}

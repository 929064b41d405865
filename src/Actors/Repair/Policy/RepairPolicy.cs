using System.Collections.Immutable;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Policy;

/// <summary><c>Repair:Mode</c>: Off publishes conditions only, DryRun decides and records but touches nothing, On repairs.</summary>
public enum RepairMode
{
    Off = 0,
    DryRun = 1,
    On = 2,
}

/// <summary>Where a setting came from, for explanations: <c>repair.yaml line 12</c>, or the default it took.</summary>
public sealed record PolicyClause(string Text, string Origin)
{
    public override string ToString() => $"{Text} ({Origin})";
}

/// <summary>
/// How long one condition may stay unhealthy before repair acts, and what it does: <see cref="Action"/> null means
/// per reason from the catalog (the XID table); the kubelet's Ready has no catalog, so it names its action.
/// </summary>
public sealed record ConditionRule(string Condition, TimeSpan Wait, RepairAction? Action, PolicyClause Clause);

/// <summary>An operator's change for one reason of one condition (EKS nodeRepairConfigOverrides): its wait, its action, or both.</summary>
public sealed record ReasonOverride(string Condition, string Reason, TimeSpan? Wait, RepairAction? Action, PolicyClause Clause);

/// <summary>
/// The ladder: reboot first where the reason allows it, replace when the fault returns within
/// <see cref="RecurrenceWindow"/> of a reboot or the node did not come back healthy; at most
/// <see cref="MaxAttemptsPerNode"/> repairs per node per <see cref="AttemptWindow"/>; after a failed repair the next
/// waits <see cref="Backoff"/>, doubling per consecutive failure up to <see cref="MaxBackoff"/>.
/// </summary>
public sealed record EscalationPolicy(
    bool AllowReboot,
    TimeSpan RecurrenceWindow,
    int MaxAttemptsPerNode,
    TimeSpan AttemptWindow,
    TimeSpan Backoff,
    TimeSpan MaxBackoff,
    string Origin)
{
    public static readonly EscalationPolicy Default = new(
        AllowReboot: true,
        RecurrenceWindow: TimeSpan.FromHours(1),
        MaxAttemptsPerNode: 3,
        AttemptWindow: TimeSpan.FromHours(24),
        Backoff: TimeSpan.FromMinutes(10),
        MaxBackoff: TimeSpan.FromHours(2),
        Origin: "default");
}

/// <summary>
/// The whole repair policy (DESIGN §6): per-condition waits and actions with per-reason overrides, the escalation
/// ladder, budgets, the zone storm breaker, maintenance windows and the opt-out keys. <see cref="Mode"/> comes from
/// the <c>Repair:Mode</c> setting, not from the file. Pure data: <see cref="RepairTriggers"/> and the decider read it.
/// </summary>
public sealed record RepairPolicy(
    RepairMode Mode,
    ImmutableArray<ConditionRule> Conditions,
    ImmutableArray<ReasonOverride> Overrides,
    EscalationPolicy Escalation,
    BudgetPolicy Budgets,
    ZoneStormPolicy ZoneStorm,
    ImmutableArray<MaintenanceWindow> MaintenanceWindows,
    ImmutableArray<string> OptOutKeys,
    string Origin)
{
    public const string DefaultOptOutKey = "node-health.io/repair-opt-out";

    /// <summary>EKS node auto repair's defaults, in dry-run.</summary>
    public static readonly RepairPolicy Default = new(
        RepairMode.DryRun,
        RepairConditions.DefaultRules,
        [],
        EscalationPolicy.Default,
        BudgetPolicy.Default,
        ZoneStormPolicy.Default,
        [],
        [DefaultOptOutKey],
        "defaults");

    /// <summary>Which repairs wait for an operator's approval (none by default).</summary>
    public ApprovalPolicy Approval { get; init; } = ApprovalPolicy.None;

    public ConditionRule? Rule(string condition) => Conditions.FirstOrDefault(c => c.Condition == condition);

    public ReasonOverride? Override(string condition, string reason) =>
        Overrides.FirstOrDefault(o => o.Condition == condition && o.Reason == reason);
}

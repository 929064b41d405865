using System.Collections.Immutable;
using NodeHealth.Actors.Yaml;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Policy;

/// <summary>
/// One active reason of an unhealthy condition with what the policy makes of it: the condition has been unhealthy
/// since <see cref="Since"/> (its lastTransitionTime), repair may act at <see cref="DueAt"/>, with <see cref="Action"/>.
/// </summary>
public sealed record Fault(
    string Condition,
    ConditionStatus Status,
    string Reason,
    DateTimeOffset Since,
    TimeSpan Wait,
    RepairAction Action,
    PolicyClause WaitClause,
    PolicyClause ActionClause)
{
    public DateTimeOffset DueAt => Since + Wait;

    public bool IsDue(DateTimeOffset now) => now >= DueAt;

    public override string ToString() =>
        $"{Condition}={Status} ({Reason}) since {Since:u}: wait {Duration.Text(Wait)} [{WaitClause}], action {Action} [{ActionClause}]";
}

/// <summary>What the policy makes of a node's conditions: its faults, each with its wait and action.</summary>
public static class RepairTriggers
{
    private static readonly PolicyClause UnknownNever = new("status Unknown never triggers repair by itself", "DESIGN §5");

    /// <summary>
    /// Every active reason of every repairable condition that is not True. The wait runs from the condition's
    /// lastTransitionTime, so a reason that changes while the condition stays False does not restart it.
    /// </summary>
    public static ImmutableArray<Fault> Faults(RepairPolicy policy, ReasonCatalog catalog, NodeSnapshot node)
    {
        var faults = ImmutableArray.CreateBuilder<Fault>();
        foreach (var condition in node.Conditions.OrEmpty())
        {
            if (condition.Status == ConditionStatus.True || policy.Rule(condition.Type) is not { } rule)
                continue;
            foreach (var reason in condition.Reasons)
                faults.Add(condition.Status == ConditionStatus.Unknown
                    ? new Fault(condition.Type, condition.Status, reason, condition.LastTransitionTime, TimeSpan.Zero, RepairAction.None, UnknownNever, UnknownNever)
                    : FaultOf(policy, catalog, rule, condition, reason));
        }

        return faults.ToImmutable();
    }

    /// <summary>Whether the node counts as unhealthy for budgets and the zone breaker: a repairable condition False or Unknown.</summary>
    public static bool IsUnhealthy(RepairPolicy policy, NodeSnapshot node) => UnhealthySince(policy, node) is not null;

    /// <summary>When the node's oldest unhealthy repairable condition turned unhealthy; null when it is healthy.</summary>
    public static DateTimeOffset? UnhealthySince(RepairPolicy policy, NodeSnapshot node)
    {
        DateTimeOffset? since = null;
        foreach (var condition in node.Conditions.OrEmpty())
            if (condition.Status != ConditionStatus.True && policy.Rule(condition.Type) is not null && (since is null || condition.LastTransitionTime < since))
                since = condition.LastTransitionTime;
        return since;
    }

    private static Fault FaultOf(RepairPolicy policy, ReasonCatalog catalog, ConditionRule rule, ConditionSnapshot condition, string reason)
    {
        var change = policy.Override(condition.Type, reason);
        var (wait, waitClause) = change?.Wait is { } overridden ? (overridden, change.Clause) : (rule.Wait, rule.Clause);
        var (action, actionClause) = change?.Action is { } chosen ? (chosen, change.Clause)
            : rule.Action is { } conditionAction ? (conditionAction, rule.Clause)
            : CatalogAction(catalog, condition.Type, reason);
        return new Fault(condition.Type, condition.Status, reason, condition.LastTransitionTime, wait, action, waitClause, actionClause);
    }

    /// <summary>The catalog's repair for the reason (per XID for NvidiaXID{xid}Error); a reason it does not define repairs nothing.</summary>
    private static (RepairAction, PolicyClause) CatalogAction(ReasonCatalog catalog, string condition, string reason)
    {
        var rule = RepairConditions.Ours(condition) is { } type ? catalog.Rule(type, reason) : null;
        return rule is null
            ? (RepairAction.None, new PolicyClause($"the catalog does not define {condition}/{reason}: no repair unless an override names it", "catalog"))
            : (rule.Repair, new PolicyClause($"{condition}/{reason} repair {rule.Repair}", $"catalog {rule.Origin}"));
    }
}

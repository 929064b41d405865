using System.Collections.Immutable;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Policy;

/// <summary>
/// Which repairs wait for a person's yes: the <see cref="Actions"/> listed (Replace, for expensive accelerator nodes),
/// in the <see cref="Pools"/> listed (empty: every pool). An operator's approval (POST /api/repairs/nodes/{name}/approve)
/// lets the node's next repair by that action start once every other clause allows it; it covers the fault that was
/// there when it was given (not a later one) and lapses after <see cref="ExpiresAfter"/>.
/// </summary>
public sealed record ApprovalPolicy(ImmutableArray<RepairAction> Actions, ImmutableArray<string> Pools, TimeSpan ExpiresAfter, string Origin)
{
    public static readonly TimeSpan DefaultExpiresAfter = TimeSpan.FromHours(24);

    /// <summary>No repair waits for approval (as in EKS, Karpenter and the rest).</summary>
    public static readonly ApprovalPolicy None = new([], [], DefaultExpiresAfter, "default");

    public bool Requires(RepairAction action, string pool) =>
        Actions.Contains(action) && (Pools.IsDefaultOrEmpty || Pools.Contains(pool, StringComparer.Ordinal));

    /// <summary>The approval that lets this repair start now: same action, given after the fault began, not expired; else null.</summary>
    public RepairApproval? Valid(RepairApproval? approval, RepairAction action, DateTimeOffset faultSince, DateTimeOffset now) =>
        approval is not null && approval.Action == action && approval.At >= faultSince && now < approval.At + ExpiresAfter ? approval : null;

    public string Clause => $"approval: {string.Join(", ", Actions)} in {(Pools.IsDefaultOrEmpty ? "every pool" : "pools " + string.Join(", ", Pools))} " +
                            $"wait for an operator, approvals expire after {Yaml.Duration.Text(ExpiresAfter)} ({Origin})";
}

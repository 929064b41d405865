using System.Collections.Immutable;
using System.Text.RegularExpressions;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Yaml;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Policy;

/// <summary>Validates a parsed policy file over the defaults; every error reads "file line N: what is wrong and how to fix it".</summary>
internal sealed partial class PolicyParser(string origin, ReasonCatalog catalog)
{
    private const int MaxOverrides = 1000;
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(30);

    public RepairPolicy Parse(PolicyFile file, RepairMode mode)
    {
        var defaults = RepairPolicy.Default;
        var (conditions, overrides) = Overrides(file.Overrides ?? []);
        return new RepairPolicy(
            mode,
            conditions,
            overrides,
            file.Escalation is null ? defaults.Escalation : Escalation(file.Escalation),
            file.Budgets is null ? defaults.Budgets : BudgetsParser.Parse(this, file.Budgets),
            file.ZoneStormBreaker is null ? defaults.ZoneStorm : ZoneStorm(file.ZoneStormBreaker),
            [.. (file.MaintenanceWindows ?? []).Select(w => WindowsParser.Parse(this, Required(w, file, "maintenanceWindows")))],
            file.OptOutKeys is null ? defaults.OptOutKeys : [.. file.OptOutKeys.Select(k => LabelKey(file, "optOutKeys", k))],
            origin)
        {
            Approval = file.Approval is null ? defaults.Approval : Approval(file.Approval),
        };
    }

    public RepairPolicyException Error(PolicyEntry at, string problem) => new($"{origin} line {at.Line}: {problem}");

    public string Where(PolicyEntry at) => $"{origin} line {at.Line}";

    public T Required<T>(T? entry, PolicyEntry parent, string key) where T : PolicyEntry =>
        entry ?? throw Error(parent, $"{key} has an empty entry");

    public TimeSpan Span(PolicyEntry at, string key, string? text, TimeSpan fallback, bool allowZero = false)
    {
        if (text is null)
            return fallback;
        if (!Duration.TryParse(text, out var value))
            throw Error(at, $"{key} '{text}' must look like 90s, 10m, 1h or 7d");
        if (value == TimeSpan.Zero && !allowZero)
            throw Error(at, $"{key} must be longer than 0");
        return value;
    }

    public int Range(PolicyEntry at, string key, int? value, int fallback, int min, int max) => value switch
    {
        null => fallback,
        { } v when v < min || v > max => throw Error(at, $"{key} {v} must be {min} to {max}"),
        { } v => v,
    };

    public string LabelKey(PolicyEntry at, string key, string? text) =>
        text is { Length: <= 317 } && LabelKeyPattern().IsMatch(text)
            ? text
            : throw Error(at, $"{key}: '{text}' is not a Kubernetes label key (an optional DNS prefix and a name, e.g. karpenter.sh/nodepool)");

    private (ImmutableArray<ConditionRule>, ImmutableArray<ReasonOverride>) Overrides(List<OverrideEntry?> entries)
    {
        if (entries.Count > MaxOverrides)
            throw new RepairPolicyException($"{origin}: {entries.Count} overrides; the limit is {MaxOverrides}");
        var conditions = RepairConditions.DefaultRules.ToDictionary(r => r.Condition);
        var reasons = new List<ReasonOverride>();
        var seen = new Dictionary<(string, string?), long>();
        foreach (var entry in entries)
        {
            var e = entry ?? throw new RepairPolicyException($"{origin}: overrides has an empty entry");
            var condition = Condition(e);
            if (e.Wait is null && e.Action is null)
                throw Error(e, $"override of {condition}{(e.Reason is null ? "" : "/" + e.Reason)} sets neither wait nor action");
            if (seen.TryGetValue((condition, e.Reason), out var earlier))
                throw Error(e, $"{condition}{(e.Reason is null ? "" : "/" + e.Reason)} is overridden twice (first on line {earlier}); merge the two entries");
            seen[(condition, e.Reason)] = e.Line;
            var wait = e.Wait is null ? (TimeSpan?)null : Span(e, "wait", e.Wait, TimeSpan.Zero, allowZero: true);
            if (wait > MaxWait)
                throw Error(e, $"wait {e.Wait} is longer than {Duration.Text(MaxWait)}; to never repair, set action: None");
            var action = e.Action is null ? (RepairAction?)null : Action(e);
            if (e.Reason is null)
            {
                var rule = conditions[condition];
                var text = $"{condition} waits {Duration.Text(wait ?? rule.Wait)}, then {(action ?? rule.Action)?.ToString() ?? "the catalog's action per reason"}";
                conditions[condition] = new ConditionRule(condition, wait ?? rule.Wait, action ?? rule.Action, new PolicyClause(text, Where(e)));
                continue;
            }

            var reason = Reason(e, condition, e.Reason);
            var clause = $"override {condition}/{reason}:{(wait is null ? "" : $" wait {Duration.Text(wait.Value)}")}{(action is null ? "" : $" action {action}")}";
            reasons.Add(new ReasonOverride(condition, reason, wait, action, new PolicyClause(clause, Where(e))));
        }

        return ([.. RepairConditions.Repairable.Select(c => conditions[c])], [.. reasons]);
    }

    private string Condition(OverrideEntry e)
    {
        if (e.Condition is null)
            throw Error(e, $"an override needs condition: one of {string.Join(", ", RepairConditions.Repairable)}");
        if (RepairConditions.Never.Contains(e.Condition))
            throw Error(e, $"{e.Condition} is a kubelet pressure; it never triggers repair (as in EKS): remove the override");
        return RepairConditions.Repairable.Contains(e.Condition)
            ? e.Condition
            : throw Error(e, $"condition '{e.Condition}' is not one repair acts on; use one of {string.Join(", ", RepairConditions.Repairable)} (spelled exactly)");
    }

    private string Reason(OverrideEntry e, string condition, string reason)
    {
        if (reason.Length is 0 or > 128 || !ReasonPattern().IsMatch(reason))
            throw Error(e, $"reason '{reason}' must be a CamelCase reason such as NvidiaXID79Error");
        if (RepairConditions.Ours(condition) is { } type && catalog.Rule(type, reason) is null)
            throw Error(e, $"the catalog defines no reason {reason} for {condition} (a typo? docs/reasons.md lists them; a concrete XID reason needs the XID on the catalog's list)");
        return reason;
    }

    private RepairAction Action(OverrideEntry e) => e.Action switch
    {
        "Reboot" => RepairAction.Reboot,
        "Replace" => RepairAction.Replace,
        "None" => RepairAction.None,
        _ => throw Error(e, $"action '{e.Action}' must be Reboot, Replace or None"),
    };

    private EscalationPolicy Escalation(EscalationEntry e)
    {
        var d = EscalationPolicy.Default;
        var policy = new EscalationPolicy(
            e.AllowReboot ?? d.AllowReboot,
            Span(e, "recurrenceWindow", e.RecurrenceWindow, d.RecurrenceWindow, allowZero: true),
            Range(e, "maxAttemptsPerNode", e.MaxAttemptsPerNode, d.MaxAttemptsPerNode, 1, 100),
            Span(e, "attemptWindow", e.AttemptWindow, d.AttemptWindow),
            Span(e, "backoff", e.Backoff, d.Backoff, allowZero: true),
            Span(e, "maxBackoff", e.MaxBackoff, d.MaxBackoff, allowZero: true),
            Where(e));
        return policy.Backoff <= policy.MaxBackoff
            ? policy
            : throw Error(e, $"backoff {Duration.Text(policy.Backoff)} is longer than maxBackoff {Duration.Text(policy.MaxBackoff)}");
    }

    private ApprovalPolicy Approval(ApprovalEntry e)
    {
        var actions = (e.Actions ?? []).Select(a => a switch
        {
            "Reboot" => RepairAction.Reboot,
            "Replace" => RepairAction.Replace,
            _ => throw Error(e, $"approval actions: '{a}' must be Reboot or Replace"),
        }).Distinct().ToImmutableArray();
        if (actions.IsEmpty)
            throw Error(e, "approval needs actions: the repairs that wait for an operator, e.g. [Replace]");
        var pools = (e.Pools ?? []).Select(p => p is { Length: > 0 and <= 253 } && !p.Any(char.IsControl) && !p.Any(char.IsWhiteSpace)
            ? p
            : throw Error(e, $"approval pools: '{p}' is not a pool name (the value of a pool label, e.g. gpu-h100)")).Distinct().ToImmutableArray();
        var expires = Span(e, "expiresAfter", e.ExpiresAfter, ApprovalPolicy.DefaultExpiresAfter);
        return expires <= MaxWait
            ? new ApprovalPolicy(actions, pools, expires, Where(e))
            : throw Error(e, $"expiresAfter {e.ExpiresAfter} is longer than {Duration.Text(MaxWait)}");
    }

    private ZoneStormPolicy ZoneStorm(ZoneStormEntry e)
    {
        var d = ZoneStormPolicy.Default;
        return new ZoneStormPolicy(
            e.Enabled ?? d.Enabled,
            Range(e, "thresholdPercent", e.ThresholdPercent, d.ThresholdPercent, 1, 100),
            Span(e, "window", e.Window, d.Window),
            Span(e, "coolDown", e.CoolDown, d.CoolDown, allowZero: true),
            Range(e, "minZoneNodes", e.MinZoneNodes, d.MinZoneNodes, 1, 1_000_000),
            Where(e));
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9-]*$")]
    private static partial Regex ReasonPattern();

    // An optional DNS subdomain prefix and a name of letters, digits, '-', '_' and '.', starting and ending alphanumeric.
    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelKeyPattern();
}

using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection;

/// <summary>
/// Merges catalog files in order: a new (condition, reason) is appended, an existing one changes only by the keys
/// the later entry gives, <c>disabled: true</c> removes it. <see cref="Build"/> orders rules by precedence.
/// </summary>
internal sealed class CatalogBuilder
{
    private readonly Dictionary<ConditionType, ConditionDefinition> _conditions = [];
    private readonly List<(ReasonEntry Entry, ReasonRule Rule)> _rules = [];

    public void Add(string origin, CatalogFile file, bool builtIn)
    {
        foreach (var condition in file.Conditions ?? [])
            AddCondition(origin, condition, builtIn);
    }

    public ReasonCatalog Build() =>
        new([.. _conditions.Values.OrderBy(c => c.Type)], [.. InPrecedenceOrder()]);

    private void AddCondition(string origin, ConditionEntry entry, bool builtIn)
    {
        if (!Enum.TryParse<ConditionType>(entry.Type, ignoreCase: false, out var type) || !ConditionTypes.IsDefined(type))
            throw new CatalogException($"{origin}: condition '{entry.Type}' is not one of {string.Join(", ", ConditionTypes.All)}");

        if (entry.ReadyReason is { } ready)
            _conditions[type] = new ConditionDefinition(type, RuleParser.RequireReasonName(origin, ready), entry.ReadyMessage ?? "")
            {
                Hardware = _conditions.TryGetValue(type, out var earlier) ? earlier.Hardware : [],
            };
        else if (!_conditions.ContainsKey(type))
            throw new CatalogException($"{origin}: condition {type} needs readyReason");
        if (entry.Hardware is { } hardware)
            _conditions[type] = _conditions[type] with { Hardware = [.. hardware.Select(h => HardwareReadyOf(origin, type, h))] };

        foreach (var reason in entry.Reasons ?? [])
            AddReason(origin, type, reason, builtIn);
    }

    private static HardwareReady HardwareReadyOf(string origin, ConditionType type, HardwareEntry entry) =>
        entry.Name is { Length: > 0 } name && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? new HardwareReady(name, RuleParser.RequireReasonName($"{origin}: condition {type} hardware {name}", entry.ReadyReason), entry.ReadyMessage ?? "")
            : throw new CatalogException($"{origin}: condition {type} has a hardware entry whose name '{entry.Name}' is not lower-case letters, digits and hyphens (nvidia, neuron)");

    private void AddReason(string origin, ConditionType type, ReasonEntry reason, bool builtIn)
    {
        if (FamilyOf(type, reason.Reason) is { } family)
        {
            AddValue(origin, type, reason, builtIn, family.Index, family.Value);
            return;
        }

        var name = RuleParser.RequireReasonOrTemplate($"{origin} line {reason.Line}", reason.Reason);
        var existing = _rules.FindIndex(r => r.Rule.Condition == type && r.Rule.Reason == name);
        if (reason.Disabled == true)
        {
            if (existing < 0)
                throw new CatalogException($"{RuleParser.Where(origin, reason, type)}: disables a reason no earlier file defines");
            _rules.RemoveAt(existing);
            return;
        }

        if (existing < 0)
        {
            _rules.Add((reason, RuleParser.ToRule(origin, type, reason, builtIn)));
            return;
        }

        if (builtIn)
            throw new CatalogException($"{RuleParser.Where(origin, reason, type)}: the built-in catalog defines this reason twice");
        var merged = _rules[existing].Entry.OverriddenBy(reason);
        _rules[existing] = (merged, RuleParser.ToRule(origin, type, merged, builtIn: false));
    }

    /// <summary>The family of <paramref name="type"/> whose template <paramref name="reason"/> fills (by its shape; whether the value is allowed is the family's to say).</summary>
    private (int Index, string Value)? FamilyOf(ConditionType type, string? reason)
    {
        if (reason is null || RuleParser.IsTemplate(reason))
            return null;
        for (var i = 0; i < _rules.Count; i++)
        {
            var rule = _rules[i].Rule;
            if (rule.Condition != type || rule.Family is not { } family || reason.Length <= family.Prefix.Length + family.Suffix.Length
                || !reason.StartsWith(family.Prefix, StringComparison.Ordinal) || !reason.EndsWith(family.Suffix, StringComparison.Ordinal))
                continue;
            var value = reason[family.Prefix.Length..^family.Suffix.Length];
            if (ReasonFamily.IsValueSyntax(value))
                return (i, value);
        }

        return null;
    }

    /// <summary>An operator entry naming one concrete reason of a family (NvidiaXID43Error) adds, changes or (disabled) removes that value.</summary>
    private void AddValue(string origin, ConditionType type, ReasonEntry reason, bool builtIn, int index, string value)
    {
        var (familyEntry, familyRule) = _rules[index];
        var where = $"{origin} line {reason.Line}: {type}/{reason.Reason}";
        if (builtIn)
            throw new CatalogException($"{where}: belongs to the family {familyRule.Reason}; the built-in catalog lists a family's values under its values key");
        if (reason.Source is not null || reason.Match is not null || reason.Literals is not null || reason.Message is not null || reason.Entity is not null
            || reason.Before is not null || reason.Block is not null || reason.Trigger is not null || reason.Values is not null || reason.ValuePattern is not null || reason.ImpliedValue is not null
            || (reason.Severity is not null && reason.Severity != familyRule.Severity.ToString()))
            throw new CatalogException($"{where}: is the value '{value}' of the family {familyRule.Reason} ({familyRule.Severity}, {familyRule.Origin}); an entry for one value may set only repair, recovery, quietFor, occurrences, window, rateLimit, description or disabled (change the family's other keys on its own entry, reason: {familyRule.Reason})");
        if (reason.Disabled == true && familyEntry.Values?.ContainsKey(value) != true)
            throw new CatalogException($"{where}: disables the value '{value}', which the family {familyRule.Reason} does not list");

        var change = new ReasonEntry { Values = new Dictionary<string, ValueEntry?>(StringComparer.Ordinal) { [value] = ValueEntry.From(reason) }, Line = reason.Line };
        var merged = familyEntry.OverriddenBy(change);
        _rules[index] = (merged, RuleParser.ToRule(origin, type, merged, builtIn: false));
    }

    /// <summary>Catalog order, except that a rule with <c>before</c> moves just ahead of the rule it names; a cycle is an error.</summary>
    private List<ReasonRule> InPrecedenceOrder()
    {
        var order = _rules.Select(r => r.Rule).ToList();
        var targets = new Dictionary<ReasonRule, ReasonRule>();
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i].Before is not { } before)
                continue;
            targets[order[i]] = order.Find(r => r.Condition == order[i].Condition && r.Reason == before)
                ?? throw new CatalogException($"{RuleParser.Where(order[i].Origin, _rules[i].Entry, order[i].Condition)}: before names {before}, which {order[i].Condition} does not define");
        }

        foreach (var rule in targets.Keys)
        {
            var chain = new List<ReasonRule> { rule };
            for (var next = targets[rule]; targets.TryGetValue(next, out var after); next = after)
            {
                chain.Add(next);
                if (next == rule)
                    throw new CatalogException($"Catalog precedence has a cycle: {string.Join(", ", chain.SkipLast(1).Select(r => $"{r.Condition}/{r.Reason} (before {r.Before}, {r.Origin})"))}");
                if (chain.Count > targets.Count + 1)
                    break; // Leads into a cycle that does not include this rule; reported from a rule on it.
            }
        }

        // Each move puts a rule ahead of its target; without cycles this settles within as many passes as rules.
        for (var moved = true; moved;)
        {
            moved = false;
            foreach (var (rule, target) in targets)
            {
                var at = order.IndexOf(rule);
                var targetAt = order.IndexOf(target);
                if (at < targetAt)
                    continue;
                order.RemoveAt(at);
                order.Insert(targetAt, rule);
                moved = true;
            }
        }

        return order;
    }
}

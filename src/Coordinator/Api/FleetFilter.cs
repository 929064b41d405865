using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Coordinator.Kubernetes.Nodes;

namespace NodeHealth.Coordinator.Api;

/// <summary>
/// GET /api/nodes?condition=&amp;status=&amp;pool=&amp;zone=&amp;label=key=value&amp;reason=: which nodes of the
/// fleet read model to list (reason: an active fault's). Pool, zone and labels come from the node informer; a node it does not
/// know (no Kubernetes, or not yet listed) matches no such filter.
/// </summary>
public sealed record FleetFilter(ConditionType? Condition, ConditionStatus? Status, string? Pool, string? Zone, IReadOnlyList<(string Key, string Value)> Labels,
    string? Reason = null)
{
    /// <summary>A label key (prefix/name) is at most 316 characters, a value 63; anything longer matches nothing and is refused.</summary>
    public const int MaxValueLength = 320;
    public const int MaxLabels = 20;

    /// <summary>The filter, or what is wrong with the query.</summary>
    public static (FleetFilter? Filter, string? Problem) Parse(string? condition, string? status, string? pool, string? zone, IReadOnlyList<string>? labels,
        string? reason = null)
    {
        if (new[] { condition, status, pool, zone, reason }.Concat(labels ?? []).FirstOrDefault(v => v is { Length: > MaxValueLength } || v?.Any(char.IsControl) == true) is { } bad)
            return (null, $"'{Clip(bad)}' is too long or holds control characters (at most {MaxValueLength} characters)");
        if (labels is { Count: > MaxLabels })
            return (null, $"at most {MaxLabels} label filters");

        ConditionType? type = null;
        if (condition is { Length: > 0 })
        {
            if (ConditionTypes.All.FirstOrDefault(t => t.ToString() == condition) is var found && found == ConditionType.Unknown)
                return (null, $"condition '{Clip(condition)}' is not one of {string.Join(", ", ConditionTypes.All)}");
            type = found;
        }

        ConditionStatus? wanted = null;
        if (status is { Length: > 0 })
        {
            if (!Enum.TryParse<ConditionStatus>(status, out var parsed) || !Enum.IsDefined(parsed) || status.Any(char.IsDigit))
                return (null, $"status '{Clip(status)}' is not one of True, False, Unknown");
            wanted = parsed;
        }

        var pairs = new List<(string, string)>();
        foreach (var label in labels ?? [])
        {
            var equals = label.IndexOf('=');
            if (equals <= 0)
                return (null, $"label '{Clip(label)}' must be key=value, e.g. label=topology.kubernetes.io/zone=eu-west-1a");
            pairs.Add((label[..equals], label[(equals + 1)..]));
        }

        return (new FleetFilter(type, wanted, Empty(pool), Empty(zone), pairs, Empty(reason)), null);
    }

    public bool Matches(NodeSummary node, NodeFacts? facts)
    {
        if (Condition is not null || Status is not null)
        {
            var conditions = node.Conditions.OrEmpty().Where(c => Condition is null || c.Type == Condition);
            if (!conditions.Any(c => Status is null || c.Status == Status))
                return false;
        }

        if (Reason is not null && !node.Conditions.OrEmpty().Any(c => c.ActiveFaults.OrEmpty().Any(f => f.Reason == Reason)))
            return false;
        if (Pool is null && Zone is null && Labels.Count == 0)
            return true;
        return facts is not null
               && (Pool is null || facts.Pool == Pool)
               && (Zone is null || facts.Zone == Zone)
               && Labels.All(l => facts.Labels.GetValueOrDefault(l.Key) == l.Value);
    }

    private static string? Empty(string? value) => value is { Length: > 0 } ? value : null;

    private static string Clip(string text)
    {
        var shown = new string([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length <= 64 ? shown : shown + "…";
    }
}

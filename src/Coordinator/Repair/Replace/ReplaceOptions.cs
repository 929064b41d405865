using System.Collections.Immutable;

namespace NodeHealth.Coordinator.Repair.Replace;

/// <summary>
/// How nodes are replaced, section "Repair:Replace" (appsettings, environment Repair__Replace__Provider,
/// Repair__Replace__Pools__gpu-a100, or --Repair:Replace:Provider); docs/repair-policy.md "Replacing a node".
/// </summary>
public sealed class ReplaceOptions
{
    public const string Section = "Repair:Replace";

    /// <summary>DeleteNode | Karpenter | ClusterApi, for every pool <see cref="Pools"/> does not name.</summary>
    public string Provider { get; set; } = nameof(ReplaceProvider.DeleteNode);

    /// <summary>Pool name (the value of the pool label the budgets use, e.g. karpenter.sh/nodepool) → provider.</summary>
    public Dictionary<string, string> Pools { get; set; } = new(StringComparer.Ordinal);

    public static ReplaceOptions Bind(IConfiguration configuration)
    {
        var options = new ReplaceOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }

    /// <summary>The provider per pool, or what is wrong (each problem names the setting and the values it may take).</summary>
    public (ReplaceChoice Choice, IReadOnlyList<string> Errors) Resolve()
    {
        var errors = new List<string>();
        var fallback = Parse($"{Section}:Provider", Provider, errors);
        var pools = ImmutableDictionary.CreateBuilder<string, ReplaceProvider>(StringComparer.Ordinal);
        foreach (var (pool, provider) in Pools.OrderBy(p => p.Key, StringComparer.Ordinal))
            pools[pool] = Parse($"{Section}:Pools:{pool}", provider, errors);
        return (new ReplaceChoice(fallback, pools.ToImmutable()), errors);
    }

    private static ReplaceProvider Parse(string setting, string? value, List<string> errors)
    {
        if (Enum.TryParse<ReplaceProvider>(value, ignoreCase: true, out var provider) && Enum.IsDefined(provider) && !int.TryParse(value, out _) && !value.Contains(','))
            return provider;
        var valid = string.Join(", ", Enum.GetNames<ReplaceProvider>());
        errors.Add(value is not null && value.Contains("AutoScaling", StringComparison.OrdinalIgnoreCase)
            ? $"{setting} '{value}': terminating through AWS Auto Scaling is not available in this build; use one of {valid}"
            : $"{setting} '{value}' is not one of {valid}");
        return ReplaceProvider.DeleteNode;
    }
}

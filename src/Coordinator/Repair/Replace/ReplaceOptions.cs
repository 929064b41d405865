using System.Collections.Immutable;

namespace NodeHealth.Coordinator.Repair.Replace;

/// <summary>
/// How nodes are replaced, section "Repair:Replace" (appsettings, environment Repair__Replace__Provider,
/// Repair__Replace__Pools__gpu-a100, or --Repair:Replace:Provider); docs/repair-policy.md "Replacing a node".
/// </summary>
public sealed class ReplaceOptions
{
    public const string Section = "Repair:Replace";

    /// <summary>DeleteNode | Karpenter | ClusterApi | AutoScaling, for every pool <see cref="Pools"/> does not name.</summary>
    public string Provider { get; set; } = nameof(ReplaceProvider.DeleteNode);

    /// <summary>Pool name (the value of the pool label the budgets use, e.g. karpenter.sh/nodepool) → provider.</summary>
    public Dictionary<string, string> Pools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Where the AutoScaling provider calls: the region (else AWS_REGION) and an endpoint (default https://autoscaling.REGION.amazonaws.com/).</summary>
    public AutoScalingOptions AutoScaling { get; set; } = new();

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
        var choice = new ReplaceChoice(fallback, pools.ToImmutable());
        if (choice.Default == ReplaceProvider.AutoScaling || choice.Pools.Values.Contains(ReplaceProvider.AutoScaling))
            AutoScaling.Check($"{Section}:AutoScaling", errors);
        return (choice, errors);
    }

    private static ReplaceProvider Parse(string setting, string? value, List<string> errors)
    {
        if (Enum.TryParse<ReplaceProvider>(value, ignoreCase: true, out var provider) && Enum.IsDefined(provider) && !int.TryParse(value, out _) && !value.Contains(','))
            return provider;
        var valid = string.Join(", ", Enum.GetNames<ReplaceProvider>());
        errors.Add($"{setting} '{value}' is not one of {valid}");
        return ReplaceProvider.DeleteNode;
    }
}

/// <summary>"Repair:Replace:AutoScaling": the AWS region and the Auto Scaling endpoint (a VPC endpoint, or a test's fake).</summary>
public sealed class AutoScalingOptions
{
    public string? Region { get; set; }

    public string? Endpoint { get; set; }

    /// <summary>The region: this setting, else AWS_REGION (set in pods with IRSA or EKS Pod Identity), else AWS_DEFAULT_REGION.</summary>
    public string? ResolvedRegion => Region is { Length: > 0 } region ? region
        : Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } env ? env
        : Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is { Length: > 0 } fallback ? fallback : null;

    public Uri ResolvedEndpoint => Endpoint is { Length: > 0 } endpoint ? new Uri(endpoint) : new Uri($"https://autoscaling.{ResolvedRegion}.amazonaws.com/");

    public void Check(string section, List<string> errors)
    {
        if (ResolvedRegion is not { } region)
            errors.Add($"{section}:Region is needed for the AutoScaling provider (or the AWS_REGION environment variable), e.g. us-west-2");
        else if (!System.Text.RegularExpressions.Regex.IsMatch(region, "^[a-z]{2}(-[a-z]+)+-[0-9]+$"))
            errors.Add($"{section}:Region '{region}' is not an AWS region, e.g. us-west-2");
        if (Endpoint is { Length: > 0 } endpoint && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            errors.Add($"{section}:Endpoint '{endpoint}' must be an absolute http(s) URL, e.g. https://autoscaling.us-west-2.amazonaws.com/");
    }
}

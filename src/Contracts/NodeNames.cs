using System.Text.RegularExpressions;

namespace NodeHealth.Contracts;

/// <summary>Kubernetes node names are DNS subdomains (RFC 1123).</summary>
public static partial class NodeNames
{
    public static bool IsValid(string? name) => name is { Length: > 0 and <= 253 } && Pattern().IsMatch(name);

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

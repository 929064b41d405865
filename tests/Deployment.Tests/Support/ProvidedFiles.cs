using System.Text.RegularExpressions;
using k8s.Models;

namespace NodeHealth.Deployment.Tests.Support;

/// <summary>
/// Files the kubelet puts into the pod (Secrets, ConfigMaps, projected tokens): the programs' validation checks that
/// they exist, which only a running pod can satisfy. Every other validation error counts.
/// </summary>
public static partial class ProvidedFiles
{
    public static IReadOnlyList<string> Unexplained(IEnumerable<string> errors, V1Container container, V1PodSpec pod)
    {
        var provided = container.VolumeMounts
            .Where(m => pod.Volumes.Single(v => v.Name == m.Name) is { Secret: not null } or { ConfigMap: not null } or { Projected: not null })
            .Select(m => m.MountPath.TrimEnd('/') + "/")
            .ToList();
        return [.. errors.Where(e => !QuotedPath().Matches(e).Any(p => provided.Any(m => p.Groups[1].Value.StartsWith(m, StringComparison.Ordinal))))];
    }

    [GeneratedRegex(@"'(/[^']+)'")]
    private static partial Regex QuotedPath();
}

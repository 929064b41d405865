using k8s;
using k8s.Exceptions;

namespace NodeHealth.Coordinator.Kubernetes;

/// <summary>The API server this coordinator talks to, and where that came from; or why there is none.</summary>
public sealed record KubernetesConnection(KubernetesClientConfiguration? Configuration, string Source)
{
    public bool IsConnected => Configuration is not null;

    /// <summary>Explicit setting, then in-cluster, then KUBECONFIG; a kubeconfig that cannot be read is an error, not "none".</summary>
    public static KubernetesConnection Resolve(KubernetesOptions options, Func<string, string?> environment, Func<bool> inCluster)
    {
        if (!options.Enabled)
            return new(null, "Kubernetes:Enabled is false");
        if (options.Kubeconfig is { Length: > 0 } explicitFile)
            return FromFile(explicitFile, "Kubernetes:Kubeconfig");
        if (inCluster())
            return new(KubernetesClientConfiguration.InClusterConfig(), "the pod's service account (in-cluster)");
        if (environment("KUBECONFIG") is { Length: > 0 } fromEnvironment)
            return FromFile(fromEnvironment.Split(Path.PathSeparator)[0], "KUBECONFIG");
        return new(null, "no in-cluster service account, no KUBECONFIG and no Kubernetes:Kubeconfig");
    }

    private static KubernetesConnection FromFile(string file, string setting)
    {
        try
        {
            return new(KubernetesClientConfiguration.BuildConfigFromConfigFile(file), $"{setting} {file}");
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            throw new KubernetesConfigException($"{setting} '{file}' is not a usable kubeconfig: {e.Message}");
        }
    }
}

public sealed class KubernetesConfigException(string message) : Exception(message);

namespace NodeHealth.Kubernetes.Tests.Support;

/// <summary>A kubeconfig file pointing at a server, as kubectl writes one.</summary>
public static class Kubeconfig
{
    public static string Write(Uri server)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nh-kubeconfig-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {server.ToString().TrimEnd('/')}
            users:
            - name: node-health
              user:
                token: test-token
            contexts:
            - name: test
              context:
                cluster: test
                user: node-health
            current-context: test
            """);
        return path;
    }
}

using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Kubernetes.Tests.Support;

namespace NodeHealth.Kubernetes.Tests.Configuration;

public sealed class KubernetesConnectionTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void An_explicit_kubeconfig_wins_over_in_cluster_config()
    {
        var file = Kubeconfig.Write(new Uri("http://127.0.0.1:6443"));

        var connection = KubernetesConnection.Resolve(new KubernetesOptions { Kubeconfig = file }, NoEnvironment, inCluster: () => true);

        Assert.Equal(("http://127.0.0.1:6443", $"Kubernetes:Kubeconfig {file}"), (connection.Configuration?.Host, connection.Source));
    }

    [Fact]
    public void KUBECONFIG_is_used_outside_a_cluster()
    {
        var file = Kubeconfig.Write(new Uri("http://127.0.0.1:6443"));

        var connection = KubernetesConnection.Resolve(new KubernetesOptions(), name => name == "KUBECONFIG" ? file : null, inCluster: () => false);

        Assert.Equal($"KUBECONFIG {file}", connection.Source);
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public void Without_any_Kubernetes_the_coordinator_runs_without_and_says_why()
    {
        var connection = KubernetesConnection.Resolve(new KubernetesOptions(), NoEnvironment, inCluster: () => false);

        Assert.False(connection.IsConnected);
        Assert.Equal("no in-cluster service account, no KUBECONFIG and no Kubernetes:Kubeconfig", connection.Source);
    }

    [Fact]
    public void Disabled_means_none_even_in_a_cluster()
    {
        Assert.False(KubernetesConnection.Resolve(new KubernetesOptions { Enabled = false }, NoEnvironment, inCluster: () => true).IsConnected);
    }

    [Fact]
    public void A_kubeconfig_that_is_not_one_is_an_error_naming_the_file()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "clusters: [ this is : not yaml");

        var error = Assert.Throws<KubernetesConfigException>(() =>
            KubernetesConnection.Resolve(new KubernetesOptions { Kubeconfig = file }, NoEnvironment, inCluster: () => false));

        Assert.StartsWith($"Kubernetes:Kubeconfig '{file}' is not a usable kubeconfig", error.Message);
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_with_the_fix()
    {
        var errors = new KubernetesOptions { Qps = 0, Kubeconfig = "/nonexistent/kubeconfig" }.Validate();

        Assert.Equal(["Kubernetes:Qps 0 must be positive, e.g. 5",
            "Kubernetes:Kubeconfig '/nonexistent/kubeconfig' does not exist: name a kubeconfig file, or remove the setting to use in-cluster config or KUBECONFIG"], errors);
    }
}

using NodeHealth.Coordinator.Metrics;

namespace NodeHealth.Coordinator.Tests.Metrics;

/// <summary>Kubernetes calls are labelled by verb and kind, never by object name: the label set stays bounded however large the fleet.</summary>
public sealed class KubernetesRequestLabelsTests
{
    [Theory]
    [InlineData("/api/v1/nodes/ip-10-0-1-7.ec2.internal/status", "nodes/status")]
    [InlineData("/api/v1/nodes/gpu-1", "nodes")]
    [InlineData("/api/v1/nodes", "nodes")]
    [InlineData("/apis/events.k8s.io/v1/namespaces/default/events/gpu-1.17a2", "events")]
    [InlineData("/apis/events.k8s.io/v1/namespaces/default/events", "events")]
    [InlineData("/api/v1/namespaces/team-a/pods/trainer-0/eviction", "pods/eviction")]
    [InlineData("/api/v1/pods", "pods")]
    [InlineData("/apis/karpenter.sh/v1/nodeclaims/p5-abcde", "nodeclaims")]
    [InlineData("/apis/cluster.x-k8s.io/v1beta1/namespaces/capi/machines/m-1", "machines")]
    [InlineData("/apis/authentication.k8s.io/v1/tokenreviews", "tokenreviews")]
    [InlineData("/version", "other")]
    [InlineData("", "other")]
    public void A_path_is_labelled_by_its_kind_and_subresource(string path, string resource) =>
        Assert.Equal(resource, KubernetesRequestMetrics.Resource(path));

    [Theory]
    [InlineData("GET", "https://kube/api/v1/nodes?watch=true&resourceVersion=5", "WATCH")]
    [InlineData("GET", "https://kube/api/v1/nodes/gpu-1", "GET")]
    [InlineData("PATCH", "https://kube/api/v1/nodes/gpu-1/status", "PATCH")]
    public void A_watch_is_its_own_verb(string method, string uri, string verb) =>
        Assert.Equal(verb, KubernetesRequestMetrics.Verb(method, new Uri(uri)));
}

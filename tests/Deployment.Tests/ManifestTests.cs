using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using NodeHealth.Deployment.Tests.Support;

namespace NodeHealth.Deployment.Tests;

/// <summary>What holds for every object of every overlay: it parses strictly, its images are pinned, its pods are sized.</summary>
public sealed partial class ManifestTests
{
    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Every_rendered_object_is_a_known_kind_with_only_known_fields(string path)
    {
        var overlay = Overlay.Of(path);

        Assert.NotEmpty(overlay.Objects);
        Assert.All(overlay.Objects, o => Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o));
        Assert.Equal(Regex.Matches(overlay.Yaml, "^kind: ", RegexOptions.Multiline).Count, overlay.Objects.Count);
    }

    [Fact]
    public void A_misspelled_field_fails_the_strict_parse()
    {
        const string manifest = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: typo
            dta:
              key: value
            """;

        Assert.ThrowsAny<Exception>(() => Overlay.Parse(manifest));
    }

    [Fact]
    public void An_unknown_kind_fails_the_strict_parse()
    {
        const string manifest = """
            apiVersion: example.com/v1
            kind: Gadget
            metadata:
              name: g
            """;

        Assert.ThrowsAny<Exception>(() => Overlay.Parse(manifest));
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Every_image_is_pinned_to_a_version(string path)
    {
        var images = Overlay.Of(path).PodSpecs().SelectMany(p => p.Pod.Containers.Concat(p.Pod.InitContainers ?? []).Select(c => (p.Workload, c.Image))).ToList();

        Assert.NotEmpty(images);
        Assert.All(images, i => Assert.True(PinnedImage().IsMatch(i.Image), $"{i.Workload} runs image '{i.Image}': pin it to a version (name:1.2.3) or a digest, never :latest or no tag"));
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Every_container_requests_and_limits_cpu_and_memory(string path)
    {
        foreach (var (workload, pod) in Overlay.Of(path).PodSpecs())
        foreach (var container in pod.Containers)
        foreach (var (kind, list) in new[] { ("requests", container.Resources?.Requests), ("limits", container.Resources?.Limits) })
        foreach (var resource in new[] { "cpu", "memory" })
        {
            Assert.True(list?.ContainsKey(resource) == true, $"{workload} container {container.Name} sets no {resource} in {kind}");
            if (kind == "limits")
                Assert.True(list![resource].ToDecimal() >= container.Resources!.Requests[resource].ToDecimal(),
                    $"{workload} container {container.Name}: {resource} limit {list[resource]} is below its request");
        }
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Every_object_but_the_cluster_wide_ones_and_the_events_role_lives_in_the_node_health_namespace(string path)
    {
        var clusterScoped = new[] { typeof(V1Namespace), typeof(V1ClusterRole), typeof(V1ClusterRoleBinding) };
        foreach (var o in Overlay.Of(path).All<IKubernetesObject<V1ObjectMeta>>())
        {
            var expected = clusterScoped.Contains(o.GetType()) ? null
                : o is V1Role or V1RoleBinding && o.Metadata.Name == "node-health-coordinator-events" ? "default"
                : "node-health";
            Assert.True(expected == o.Metadata.NamespaceProperty, $"{o.Kind} {o.Metadata.Name} is in namespace '{o.Metadata.NamespaceProperty}', expected '{expected}'");
        }
    }

    [GeneratedRegex(@"^[a-z0-9./_-]+(:[0-9][A-Za-z0-9._-]*|@sha256:[0-9a-f]{64})$")]
    private static partial Regex PinnedImage();
}

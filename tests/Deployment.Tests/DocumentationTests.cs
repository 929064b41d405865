using k8s.Models;
using NodeHealth.Deployment.Tests.Support;

namespace NodeHealth.Deployment.Tests;

/// <summary>What the operator must create before applying an overlay is written down in k8s/README.md.</summary>
public sealed class DocumentationTests
{
    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Every_secret_and_configmap_the_pods_need_is_rendered_or_documented(string path)
    {
        var overlay = Overlay.Of(path);
        var readme = Repository.Read("k8s/README.md");
        var rendered = overlay.All<V1ConfigMap>().Select(m => m.Metadata.Name).Concat(overlay.All<V1Secret>().Select(s => s.Metadata.Name)).ToHashSet();

        var needed = overlay.PodSpecs().SelectMany(p =>
            p.Pod.Volumes.SelectMany(v => new[] { v.Secret?.SecretName, v.ConfigMap?.Name })
                .Concat(p.Pod.Containers.SelectMany(c => c.Env ?? []).SelectMany(e => new[] { e.ValueFrom?.SecretKeyRef?.Name, e.ValueFrom?.ConfigMapKeyRef?.Name })))
            .OfType<string>().Distinct().Where(n => !rendered.Contains(n)).ToList();

        Assert.NotEmpty(needed);
        Assert.All(needed, name => Assert.True(readme.Contains($"`{name}`"), $"{path} needs {name}, which k8s/README.md does not tell operators how to create"));
    }
}

using k8s.Models;
using NodeHealth.Actors.Detection;
using NodeHealth.Coordinator;
using NodeHealth.Deployment.Tests.Support;
using NodeHealth.NodeHost;

namespace NodeHealth.Deployment.Tests;

/// <summary>The operator catalog ConfigMap: generated from k8s/base/catalog, valid, and the file both programs load.</summary>
public sealed class CatalogConfigMapTests
{
    private const string FileName = "operator.yaml";

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_configmap_holds_the_repositorys_catalog_file_unchanged(string path)
    {
        var map = Overlay.Of(path).Single<V1ConfigMap>("node-health-catalog");

        Assert.Equal([FileName], map.Data.Keys);
        Assert.Equal(Repository.Read("k8s/base/catalog/" + FileName), map.Data[FileName]);
    }

    [Fact]
    public void The_catalog_file_loads_over_the_built_in_catalog()
    {
        var catalog = CatalogLoader.Load([Repository.PathOf("k8s/base/catalog/" + FileName)]);

        Assert.Equal(CatalogLoader.LoadBuiltIn().Rules.Length, catalog.Rules.Length);
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Both_programs_load_the_mounted_catalog_file(string path)
    {
        var overlay = Overlay.Of(path);
        var coordinator = CoordinatorOptions.Bind(PodEnvironment.Of(overlay.Coordinator).Configuration()).CatalogFiles;
        var agent = AgentOptions.Bind(PodEnvironment.Of(overlay.Agent).Configuration()).CatalogFiles;

        foreach (var (container, pod, files) in new[]
                 {
                     (overlay.Coordinator, overlay.Coordinators.Spec.Template.Spec, coordinator),
                     (overlay.Agent, overlay.Agents.Spec.Template.Spec, agent),
                 })
        {
            var file = Assert.Single(files);
            var mount = container.VolumeMounts.Single(m => file == $"{m.MountPath}/{FileName}");
            Assert.Null(mount.SubPath); // a subPath mount never sees the ConfigMap's updates, and the watchers would never reload
            Assert.Equal("node-health-catalog", pod.Volumes.Single(v => v.Name == mount.Name).ConfigMap.Name);
        }
    }
}

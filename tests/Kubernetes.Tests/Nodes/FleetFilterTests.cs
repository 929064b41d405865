using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.Kubernetes.Nodes;
using static NodeHealth.Kubernetes.Tests.Support.Writers;

namespace NodeHealth.Kubernetes.Tests.Nodes;

public sealed class FleetFilterTests
{
    private static readonly NodeSummary Panicked = new("node-a", [KernelPanic(T0)], T0);
    private static readonly NodeSummary Healthy = new("node-b", [KernelReady(T0)], T0);

    private static readonly NodeFacts GpuInZoneA = new("node-a",
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["karpenter.sh/nodepool"] = "gpu", ["topology.kubernetes.io/zone"] = "eu-west-1a", ["team"] = "ml",
        }), [], false, "boot-1");

    private static FleetFilter Filter(string? condition = null, string? status = null, string? pool = null, string? zone = null, params string[] labels) =>
        FleetFilter.Parse(condition, status, pool, zone, labels).Filter!;

    [Fact]
    public void Condition_and_status_select_from_the_read_model()
    {
        var falseKernel = Filter("KernelReady", "False");

        Assert.Equal([true, false], new[] { Panicked, Healthy }.Select(n => falseKernel.Matches(n, null)));
    }

    [Fact]
    public void Pool_zone_and_labels_select_by_what_the_Node_object_says()
    {
        Assert.True(Filter(pool: "gpu", zone: "eu-west-1a", labels: "team=ml").Matches(Panicked, GpuInZoneA));
        Assert.False(Filter(labels: "team=web").Matches(Panicked, GpuInZoneA));
        Assert.False(Filter(pool: "gpu").Matches(Healthy, facts: null)); // Unknown to the informer: it matches no such filter.
    }

    [Theory]
    [InlineData("Kernel", null, "condition 'Kernel' is not one of KernelReady, StorageReady, NetworkingReady, ContainerRuntimeReady, AcceleratedHardwareReady")]
    [InlineData(null, "2", "status '2' is not one of True, False, Unknown")]
    public void A_filter_that_cannot_match_is_refused_with_the_choices(string? condition, string? status, string problem)
    {
        Assert.Equal(problem, FleetFilter.Parse(condition, status, null, null, []).Problem);
    }

    [Fact]
    public void A_label_without_a_value_is_refused()
    {
        Assert.StartsWith("label 'team' must be key=value", FleetFilter.Parse(null, null, null, null, ["team"]).Problem);
    }
}

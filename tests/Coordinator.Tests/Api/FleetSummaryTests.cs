using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.Kubernetes.Nodes;

namespace NodeHealth.Coordinator.Tests.Api;

public sealed class FleetSummaryTests
{
    private static readonly DateTime At = new(2026, 11, 28, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Nodes_are_counted_by_worst_status_condition_reason_pool_and_zone()
    {
        NodeSummary[] nodes =
        [
            Node("gpu-1", Condition(ConditionType.AcceleratedHardwareReady, ConditionStatus.False, "XidHardwareFailure"), Condition(ConditionType.KernelReady, ConditionStatus.True)),
            Node("gpu-2", Condition(ConditionType.AcceleratedHardwareReady, ConditionStatus.Unknown), Condition(ConditionType.KernelReady, ConditionStatus.True)),
            Node("cpu-1", Condition(ConditionType.KernelReady, ConditionStatus.False, "ForkFailedOutOfPIDs")),
            Node("cpu-2", Condition(ConditionType.KernelReady, ConditionStatus.True)),
        ];
        var facts = new Dictionary<string, NodeFacts>
        {
            ["gpu-1"] = Facts("gpu-1", "gpu", "eu-west-1a"),
            ["gpu-2"] = Facts("gpu-2", "gpu", "eu-west-1b"),
            ["cpu-1"] = Facts("cpu-1", "cpu", "eu-west-1a"),
        };

        var summary = FleetSummary.Of(nodes, facts.GetValueOrDefault);

        Assert.Equal(4, summary.Nodes);
        Assert.Equal(new Dictionary<string, int> { ["Healthy"] = 1, ["Unhealthy"] = 2, ["Unknown"] = 1 }, summary.ByStatus);
        Assert.Equal(new Dictionary<string, int> { ["True"] = 3, ["False"] = 1 }, summary.ByCondition["KernelReady"]);
        Assert.Equal(new Dictionary<string, int> { ["False"] = 1, ["Unknown"] = 1 }, summary.ByCondition["AcceleratedHardwareReady"]);
        Assert.Equal(new Dictionary<string, int> { ["ForkFailedOutOfPIDs"] = 1, ["XidHardwareFailure"] = 1 }, summary.ByReason);
        Assert.Equal(new PlaceCount(2, 1, 1), summary.ByPool["gpu"]);
        Assert.Equal(new PlaceCount(1, 1, 0), summary.ByPool["cpu"]);
        Assert.Equal(new PlaceCount(1, 0, 0), summary.ByPool[FleetSummary.Unplaced]);
        Assert.Equal(new PlaceCount(2, 2, 0), summary.ByZone["eu-west-1a"]);
    }

    [Fact]
    public void An_empty_fleet_counts_zero_of_each_status()
    {
        var summary = FleetSummary.Of([], _ => null);

        Assert.Equal(0, summary.Nodes);
        Assert.All(summary.ByStatus.Values, count => Assert.Equal(0, count));
        Assert.Empty(summary.ByPool);
    }

    private static NodeSummary Node(string name, params ConditionState[] conditions) => new(name, [.. conditions], At);

    private static ConditionState Condition(ConditionType type, ConditionStatus status, string reason = "") => new(type, status, reason, "", At,
        reason.Length == 0 ? [] : [new ActiveFault(reason, "", At, At, 1)]);

    private static NodeFacts Facts(string name, string pool, string zone) => new(name,
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["karpenter.sh/nodepool"] = pool, [NodeFacts.ZoneLabel] = zone }),
        [], false, "");
}

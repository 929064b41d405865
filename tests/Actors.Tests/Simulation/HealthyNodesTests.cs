using System.Collections.Immutable;
using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Policy;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Simulation;

/// <summary>FleetSnapshot.Healthy (how the simulator hands the decider 10,000 nodes) decides exactly as listing each healthy node.</summary>
public sealed class HealthyNodesTests
{
    private static readonly RepairPolicy Policy = RepairPolicy.Default with { Mode = RepairMode.On };

    public static TheoryData<int> HealthyCounts() => [20, 60, 200];

    [Theory]
    [MemberData(nameof(HealthyCounts))]
    public void Healthy_nodes_as_counts_decide_like_healthy_nodes_listed_one_by_one(int healthy)
    {
        NodeSnapshot[] unhealthy =
        [
            Node("gpu-1", "gpu", "a", False("AcceleratedHardwareReady", "NvidiaXID79Error", At(-20))),
            Node("gpu-2", "gpu", "a", False("AcceleratedHardwareReady", "NvidiaXID48Error", At(-15))),
            Node("gpu-3", "gpu", "b", False("KernelReady", "ForkFailedOutOfPIDs", At(-40))),
            Node("gpu-4", "gpu", "b", False("AcceleratedHardwareReady", "NvidiaXID79Error", At(-1))),
        ];
        var listed = FleetOf(unhealthy, Healthy(healthy, "gpu", "a"), Healthy(healthy, "gpu", "b", "other"));
        var counted = new FleetSnapshot([.. unhealthy])
        {
            Healthy = [new HealthyNodes(Node("x", "gpu", "a").Labels, healthy), new HealthyNodes(Node("x", "gpu", "b").Labels, healthy)],
        };

        var byList = RepairDecider.Decide(Policy, Catalog, listed, RepairLedger.Empty, At(0));
        var byCount = RepairDecider.Decide(Policy, Catalog, counted, RepairLedger.Empty, At(0));

        Assert.Equal(byList.Decisions.Select(Text), byCount.Decisions.Select(Text));
        Assert.Equal(byList.ZoneChanges, byCount.ZoneChanges);
        Assert.Contains(byCount.Decisions, d => d.Verdict == RepairVerdict.Start);
        Assert.Equal(unhealthy.Length, byCount.Decisions.Length);
    }

    private static string Text(RepairDecision d) => $"{d.Node} {d.Verdict} {d.Denial} {d.Action} {d.Explanation.Text}";
}

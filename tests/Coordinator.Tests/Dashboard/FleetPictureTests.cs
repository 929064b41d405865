using NodeHealth.Coordinator.Dashboard;
using NodeHealth.Coordinator.Repair;
using static NodeHealth.Coordinator.Tests.Dashboard.DashboardSamples;

namespace NodeHealth.Coordinator.Tests.Dashboard;

public sealed class FleetPictureTests
{
    [Fact]
    public void A_nodes_worst_condition_is_False_over_Unknown_over_True_and_None_without_any()
    {
        Assert.Equal(NodeHealthLevel.False, NodeHealthLevels.Worst([Condition("KernelReady", "True"), Condition("StorageReady", "Unknown"), Condition("NetworkingReady", "False")]));
        Assert.Equal(NodeHealthLevel.Unknown, NodeHealthLevels.Worst([Condition("KernelReady", "True"), Condition("StorageReady", "Unknown")]));
        Assert.Equal(NodeHealthLevel.True, NodeHealthLevels.Worst([Condition("KernelReady", "True")]));
        Assert.Equal(NodeHealthLevel.None, NodeHealthLevels.Worst([]));
    }

    [Fact]
    public void Nodes_are_placed_by_pool_and_zone_and_unhealthy_tiles_come_first_in_their_cell()
    {
        var picture = FleetPicture.From(
        [
            Healthy("a-1"),
            Node("a-2", "gpu", "eu-west-1a", Condition("AcceleratedHardwareReady", "False", "NvidiaXID79Error")),
            Healthy("b-1", "cpu", "eu-west-1b"),
            Healthy("local", null, null),
        ], Repairs());

        Assert.Equal(new[] { "(no pool)", "cpu", "gpu" }, picture.Pools);
        Assert.Equal(new[] { "(no zone)", "eu-west-1a", "eu-west-1b" }, picture.Zones);
        var gpu = picture.Cell("gpu", "eu-west-1a")!;
        Assert.Equal(new[] { "a-2", "a-1" }, gpu.Tiles.Select(t => t.Name));
        Assert.Equal(1, gpu.Unhealthy);
        Assert.Equal("a-2: AcceleratedHardwareReady False (NvidiaXID79Error)", gpu.Tiles[0].Summary);
        Assert.Null(picture.Cell("cpu", "eu-west-1a"));
        Assert.Equal("local", Assert.Single(picture.Cell("(no pool)", "(no zone)")!.Tiles).Name);
    }

    [Fact]
    public void Without_a_Node_object_the_governors_record_of_pool_and_zone_places_the_node()
    {
        var picture = FleetPicture.From([Node("n-1", null, null, Condition("KernelReady", "False", "E2EFatalFault"))],
            Repairs(decisions: [Decision("n-1", "Wait", notBefore: Now.AddMinutes(20), pool: "default", zone: "zone-a")]));

        Assert.Equal("n-1", Assert.Single(picture.Cell("default", "zone-a")!.Tiles).Name);
    }

    [Fact]
    public void Attention_lists_unhealthy_nodes_before_unknown_ones_and_the_longest_unhealthy_first()
    {
        var picture = FleetPicture.From(
        [
            Node("silent", "gpu", "z", Condition("KernelReady", "Unknown", "AgentNotReporting", Now.AddHours(-5))),
            Node("recent", "gpu", "z", Condition("KernelReady", "False", "E2EFatalFault", Now.AddMinutes(-2))),
            Node("old", "gpu", "z", Condition("KernelReady", "True"), Condition("StorageReady", "False", "XFSCorruption", Now.AddHours(-2))),
            Healthy("fine"),
        ], Repairs());

        Assert.Equal(new[] { "old", "recent", "silent" }, picture.Attention.Select(a => a.Node));
        var old = picture.Attention[0];
        Assert.Equal(Now.AddHours(-2), old.Since);
        Assert.Equal(new[] { "StorageReady" }, old.Why.Select(c => c.Type));
        Assert.Equal((4, 2, 1), (picture.Nodes, picture.Unhealthy, picture.UnknownNodes));
    }

    [Fact]
    public void Counts_repairs_in_flight_and_zones_whose_storm_breaker_tripped()
    {
        var picture = FleetPicture.From([Healthy("a"), Healthy("b")], Repairs(
            decisions: [Decision("c", "Deny", "ZoneStorm", zone: "eu-west-1c", breaker: "tripped at 2026-11-28 00:40:00Z"), Decision("d", "Wait", notBefore: Now)],
            runs: [Run("a"), Run("b", state: "Succeeded")]));

        Assert.Equal(1, picture.Repairing);
        Assert.True(picture.Cell("gpu", "eu-west-1a")!.Tiles.Single(t => t.Name == "a").Repairing);
        Assert.Equal(new[] { "eu-west-1c" }, picture.TrippedZones);
    }

    [Fact]
    public void The_breakers_as_counted_now_take_precedence_over_what_older_decisions_saw()
    {
        var budgets = new RepairBudgetsView("DryRun", "(defaults)", null, 0, 10, [],
            [new ZoneBreakerView("zone-a", "Closed", null, null, Now), new ZoneBreakerView("zone-b", "Tripped", Now, "storm", null)]);

        var picture = FleetPicture.From([Healthy("a")], Repairs(decisions: [Decision("c", "Deny", "ZoneStorm", zone: "zone-a", breaker: "tripped at 2026-11-28 00:40:00Z")]), budgets);

        Assert.Equal(new[] { "zone-b" }, picture.TrippedZones);
    }
}

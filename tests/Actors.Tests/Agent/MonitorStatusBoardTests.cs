using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Agent;

public sealed class MonitorStatusBoardTests
{
    private static KeyValuePair<(string, ConditionType), MonitorStatus> Component(string name, ConditionType condition, MonitorState state, string reason) =>
        new((name, condition), new MonitorStatus(condition, state, reason, $"{name} says {state}"));

    [Fact]
    public void A_failed_probe_outweighs_an_active_log_source_of_the_same_condition()
    {
        var worst = MonitorStatusBoard.Worst(
        [
            Component("kmsg", ConditionType.NetworkingReady, MonitorState.Active, "NetworkingIsReady"),
            Component("probe-interfaces", ConditionType.NetworkingReady, MonitorState.Failed, "MonitorFailed"),
        ]);

        var status = Assert.Single(worst);
        Assert.Equal(MonitorState.Failed, status.State);
        Assert.Equal("probe-interfaces says Failed", status.Detail);
    }

    [Theory]
    [InlineData(MonitorState.Failed, MonitorState.Starting, MonitorState.Failed)]
    [InlineData(MonitorState.Starting, MonitorState.Active, MonitorState.Starting)]
    [InlineData(MonitorState.Active, MonitorState.Inactive, MonitorState.Active)]
    [InlineData(MonitorState.Inactive, MonitorState.Inactive, MonitorState.Inactive)]
    [InlineData(MonitorState.Inactive, MonitorState.Failed, MonitorState.Failed)]
    public void The_condition_shows_the_worst_of_its_components(MonitorState first, MonitorState second, MonitorState expected)
    {
        var worst = MonitorStatusBoard.Worst(
        [
            Component("a", ConditionType.StorageReady, first, "x"),
            Component("b", ConditionType.StorageReady, second, "y"),
        ]);

        Assert.Equal(expected, Assert.Single(worst).State);
    }

    [Fact]
    public void Active_components_report_the_ready_reason_and_each_condition_is_reported_once()
    {
        var worst = MonitorStatusBoard.Worst(
        [
            Component("probe-sysctl", ConditionType.NetworkingReady, MonitorState.Active, "NetworkingIsReady"),
            Component("kmsg", ConditionType.KernelReady, MonitorState.Active, "KernelIsReady"),
            Component("kmsg", ConditionType.NetworkingReady, MonitorState.Active, "NetworkingIsReady"),
        ]);

        Assert.Equal([ConditionType.KernelReady, ConditionType.NetworkingReady], worst.Select(s => s.Condition));
        Assert.Equal(["KernelIsReady", "NetworkingIsReady"], worst.Select(s => s.Reason));
        Assert.Equal("kmsg says Active", worst[1].Detail); // Ties go to the first component by name, so reports do not flap.
    }

    [Fact]
    public void A_report_without_a_component_is_keyed_by_its_condition_name()
    {
        var report = new ReportMonitorStatus(new MonitorStatus(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", ""));

        Assert.Equal("KernelReady", report.Component);
        Assert.Equal("kmsg", (report with { Component = "kmsg" }).Component);
    }
}

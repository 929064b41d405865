using NodeHealth.Coordinator.Dashboard;
using static NodeHealth.Coordinator.Tests.Dashboard.DashboardSamples;

namespace NodeHealth.Coordinator.Tests.Dashboard;

public sealed class RepairOutlookTests
{
    [Fact]
    public void A_waiting_decision_says_when_repair_acts()
    {
        var outlook = RepairOutlook.For("n", NodeHealthLevel.False, Repairs(decisions: [Decision("n", "Wait", notBefore: Now.AddMinutes(25))]));

        Assert.Equal("wait", outlook.Kind);
        Assert.Equal(Now.AddMinutes(25), outlook.ActsAt);
        Assert.Equal("Reboot KernelReady/E2EFatalFault (dry run: recorded, nothing is touched)", outlook.Text);
        Assert.Equal("KernelReady=False (E2EFatalFault) on n", outlook.Detail);
    }

    [Theory]
    [InlineData("Paused", "Held back: repairs are paused by an operator")]
    [InlineData("ZoneStorm", "Held back: the zone's storm breaker tripped")]
    [InlineData("OptOut", "Held back: the node opted out of repair (label or annotation)")]
    [InlineData("NodePaused", "Held back: an operator paused repair of this node")]
    [InlineData("SomethingNew", "Held back: SomethingNew")]
    public void A_denied_decision_says_why_repair_will_not_act(string denial, string text)
    {
        var outlook = RepairOutlook.For("n", NodeHealthLevel.False, Repairs(decisions: [Decision("n", "Deny", denial)]));

        Assert.Equal(("deny", text), (outlook.Kind, outlook.Text));
    }

    [Fact]
    public void A_running_repair_is_shown_with_what_it_does_now_before_any_decision()
    {
        var outlook = RepairOutlook.For("n", NodeHealthLevel.False, Repairs(decisions: [Decision("n", "InFlight")], runs: [Run("n")]));

        Assert.Equal(("repairing", "draining: 3 pods left"), (outlook.Kind, outlook.Detail));
        Assert.StartsWith("Repairing: Reboot since 2026-11-28 00:57:00Z", outlook.Text);
    }

    [Fact]
    public void Mode_off_no_decision_and_an_absent_governor_each_say_so()
    {
        Assert.Equal("off", RepairOutlook.For("n", NodeHealthLevel.False, Repairs(mode: "Off")).Kind);
        Assert.Equal("No repair decision yet: the governor decides every Repair:DecideEvery.", RepairOutlook.For("n", NodeHealthLevel.False, Repairs()).Text);
        Assert.Equal("No repair: an Unknown condition never triggers repair by itself.", RepairOutlook.For("n", NodeHealthLevel.Unknown, Repairs()).Text);
        Assert.Equal("unavailable", RepairOutlook.For("n", NodeHealthLevel.False, null).Kind);
    }

    [Fact]
    public void A_dry_run_start_says_it_would_start_and_a_real_one_that_it_starts()
    {
        Assert.Equal("Would reboot now (dry run: recorded, nothing is touched)", RepairOutlook.For("n", NodeHealthLevel.False, Repairs(decisions: [Decision("n", "Start")])).Text);
        Assert.Equal("Reboot starting now", RepairOutlook.For("n", NodeHealthLevel.False, Repairs(mode: "On", decisions: [Decision("n", "Start", dryRun: false)])).Text);
    }
}

using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Policy;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

public sealed class MaintenanceWindowTests
{
    private static MaintenanceWindow Window(string days, string start, string end, string zone = "Europe/Berlin") =>
        Assert.Single(RepairPolicyLoader.Parse("w.yaml", $"maintenanceWindows:\n  - {{ days: [{days}], start: '{start}', end: '{end}', timeZone: {zone} }}\n", Catalog).MaintenanceWindows);

    [Theory]
    // 2026-11-27 is a Friday; Berlin is UTC+1 in November.
    [InlineData("Fri", "22:00", "06:00", "2026-11-27T20:59:00Z", false)]
    [InlineData("Fri", "22:00", "06:00", "2026-11-27T21:00:00Z", true)]   // 22:00 Berlin
    [InlineData("Fri", "22:00", "06:00", "2026-11-28T04:59:00Z", true)]   // Saturday 05:59 Berlin: still Friday's window
    [InlineData("Fri", "22:00", "06:00", "2026-11-28T05:00:00Z", false)]  // 06:00 Berlin: closed
    [InlineData("Sat", "22:00", "06:00", "2026-11-28T02:00:00Z", false)]  // Saturday 03:00 belongs to Friday's window, not Saturday's
    [InlineData("Sat,Sun", "00:00", "24:00", "2026-11-29T22:59:00Z", true)]  // Sunday 23:59 Berlin
    [InlineData("Sat,Sun", "00:00", "24:00", "2026-11-29T23:00:00Z", false)] // Monday 00:00 Berlin
    [InlineData("Mon", "02:00", "04:00", "2026-07-06T00:30:00Z", true)]   // summer time: 02:30 Berlin is 00:30 UTC
    public void A_window_is_open_on_its_days_between_start_and_end_in_its_time_zone(string days, string start, string end, string utc, bool open)
    {
        Assert.Equal(open, Window(days, start, end).IsOpen(DateTimeOffset.Parse(utc)));
    }

    [Theory]
    [InlineData("Fri", "22:00", "06:00", "2026-11-27T12:00:00Z", "2026-11-27T21:00:00Z")]
    [InlineData("Mon", "02:00", "04:00", "2026-11-27T12:00:00Z", "2026-11-30T01:00:00Z")]
    [InlineData("Sun", "02:30", "04:00", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z")] // 02:30 does not exist that night: opens at 03:00 summer time
    public void The_next_opening_is_named_in_UTC(string days, string start, string end, string now, string opens)
    {
        Assert.Equal(DateTimeOffset.Parse(opens), Window(days, start, end).NextOpening(DateTimeOffset.Parse(now)));
    }

    [Fact]
    public void Without_windows_disruptive_actions_may_run_any_time()
    {
        Assert.True(MaintenanceSchedule.IsOpen([], T0));
        Assert.Equal(T0, MaintenanceSchedule.NextOpening([], T0));
    }
}

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>
/// Simulation reports. The simulator (issue 10: POST /api/simulations, `simulate --format html`) is not part of this
/// coordinator yet: the page says so plainly rather than showing made-up results.
/// </summary>
public static class SimulationsPage
{
    public static string Render() =>
        "<h1>Simulations</h1>" +
        "<p class=\"banner\" data-simulations=\"not-available\" role=\"note\">Not available in this version: repair policy simulation " +
        "(replaying a policy over a synthetic fleet or recorded history) arrives with the simulator. Its reports will be shown here, " +
        "in the same style as the rest of the dashboard.</p>";
}

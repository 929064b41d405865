namespace NodeHealth.Coordinator.Dashboard;

/// <summary>
/// Simulation reports: a scenario (YAML, policies inline) is sent to POST /api/simulations and its report is shown in
/// the dashboard's style (its charts and table, the same markup as the standalone HTML report). A coordinator without
/// the simulator says so plainly rather than showing made-up results.
/// </summary>
public static class SimulationsPage
{
    public const string Api = "/api/simulations";

    /// <summary>A small fleet that runs in about a second: two policies side by side.</summary>
    public const string Example = """
        name: dashboard-example
        days: 7
        seed: 1
        fleet:
          pools:
            - name: gpu
              nodes: 120
              zones: [zone-a, zone-b, zone-c]
              accelerator: nvidia-h100
              acceleratorsPerNode: 8
        faults:
          - name: off-the-bus
            condition: AcceleratedHardwareReady
            reason: NvidiaXID79Error
            ratePerNodeDay: 0.01
            rebootFixes: false
          - name: hbm
            condition: AcceleratedHardwareReady
            reason: NvidiaXID63Error
            ratePerNodeDay: 0.02
        policies:
          - name: eks-defaults
            policy: ""
          - name: nights-only
            policy: |
              maintenanceWindows:
                - days: [Daily]
                  start: '22:00'
                  end: '06:00'
                  timeZone: UTC
        """;

    public static string Render(bool simulatorServed) => simulatorServed
        ? "<h1>Simulations</h1>" +
          "<p>Try a repair policy before turning it on: the scenario below (YAML; see docs/simulation.md) runs the real repair code on " +
          "virtual time against a synthetic fleet, once per policy, and the report compares them.</p>" +
          $"<form id=\"simulation-form\" class=\"simulation\" data-url=\"{Api}\"><label for=\"scenario\">Scenario</label>" +
          $"<textarea id=\"scenario\" name=\"scenario\" rows=\"18\" spellcheck=\"false\">{Html.Text(Example)}</textarea>" +
          "<p><button type=\"submit\">Run the simulation</button> <span class=\"hint\">one simulation at a time per coordinator, at most 30 s</span></p></form>" +
          "<div id=\"simulation-status\" role=\"status\" aria-live=\"polite\"></div>" +
          "<section id=\"simulation-report\" class=\"simulation-report\" aria-label=\"Simulation report\"></section>"
        : "<h1>Simulations</h1>" +
          "<p class=\"banner\" data-simulations=\"not-available\" role=\"note\">Not available in this version: repair policy simulation " +
          "(replaying a policy over a synthetic fleet or recorded history) arrives with the simulator. Its reports will be shown here, " +
          "in the same style as the rest of the dashboard.</p>";
}

using System.Text.Json;
using System.Text.RegularExpressions;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Simulation;
using NodeHealth.Coordinator.Simulation;

namespace NodeHealth.Coordinator.Tests.Simulation;

public sealed partial class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("simulate-").FullName;

    public static string Small => """
        name: small
        days: 4
        seed: 5
        fleet:
          pools:
            - name: gpu
              nodes: 60
              zones: [a, b, c]
              accelerator: nvidia-h100
              acceleratorsPerNode: 8
        faults:
          - name: off-the-bus
            condition: AcceleratedHardwareReady
            reason: NvidiaXID79Error
            ratePerNodeDay: 0.02
            rebootFixes: false
          - name: hbm
            condition: AcceleratedHardwareReady
            reason: NvidiaXID63Error
            ratePerNodeDay: 0.03
        events:
          - type: zonePartition
            at: 48h
            zone: a
            duration: 90m
            condition: NetworkingReady
            reason: InterfaceNotRunning
        policies:
          - name: no-repair
            mode: Off
          - name: eks-defaults
            policy: ""
          - name: nights
            policy: |
              maintenanceWindows:
                - days: [Daily]
                  start: '22:00'
                  end: '06:00'
                  timeZone: UTC
        """;

    [Fact]
    public void Json_is_byte_identical_for_the_same_seed_and_differs_for_another()
    {
        var scenario = Write("small.yaml", Small);

        var (first, _, _) = Run("simulate", scenario, "--format", "json", "--seed", "42");
        var (again, _, _) = Run("simulate", scenario, "--format", "json", "--seed", "42");
        var (other, _, _) = Run("simulate", scenario, "--format", "json", "--seed", "43");

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        using var json = JsonDocument.Parse(first);
        Assert.Equal(42UL, json.RootElement.GetProperty("seed").GetUInt64());
        Assert.Equal(3, json.RootElement.GetProperty("policies").GetArrayLength());
        Assert.Equal(0, json.RootElement.GetProperty("policies")[2].GetProperty("invariants").GetProperty("maintenanceWindowViolations").GetInt32());
    }

    [Fact]
    public void Progress_on_a_terminal_names_the_policy_and_its_share_and_rewrites_one_line()
    {
        var scenario = ScenarioParser.Load(Write("small.yaml", Small), CatalogLoader.LoadBuiltIn());
        var terminal = new StringWriter();
        var progress = SimulationCommands.Progress(scenario, terminal);

        foreach (var (policy, share) in new[] { (0, 0.001), (0, 0.004), (0, 0.5), (0, 0.503), (1, 0.2), (2, 0.999) })
            progress(policy, share);

        Assert.Equal(
            [
                "simulating 60 nodes for 4 days: policy 1/3 (no-repair) 0%\x1b[K",
                "simulating 60 nodes for 4 days: policy 1/3 (no-repair) 50%\x1b[K", // Once per percent, not per call.
                "simulating 60 nodes for 4 days: policy 2/3 (eks-defaults) 20%\x1b[K",
                "simulating 60 nodes for 4 days: policy 3/3 (nights) 99%\x1b[K",
            ],
            terminal.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries)); // Each update rewrites the line it is on.
    }

    [Fact]
    public void The_table_puts_the_policies_side_by_side_with_the_invariants()
    {
        var (table, _, code) = Run("simulate", Write("small.yaml", Small));

        Assert.Equal(0, code);
        Assert.Matches(@"\n\s+no-repair\s+eks-defaults\s+nights\n", table);
        Assert.Matches(@"INVARIANT budget violations \(must be 0\)\s+0\s+0\s+0", table);
        Assert.Contains("availability (serving node-hours / total)", table);
    }

    [Fact]
    public void The_html_report_is_one_file_with_marked_charts_holding_every_policy()
    {
        var output = Path.Combine(_dir, "report.html");

        var (stdout, _, code) = Run("simulate", Write("small.yaml", Small), "--format", "html", "--out", output);

        Assert.Equal((0, ""), (code, stdout));
        var html = File.ReadAllText(output);
        Assert.DoesNotContain("<script src", html);
        Assert.DoesNotContain("<link", html);
        foreach (var chart in new[] { "capacity", "repairs", "time-to-repair" })
        {
            var figure = Regex.Match(html, $"<figure class=\"chart\" data-chart=\"{chart}\">.*?</figure>").Value;
            Assert.Contains("<svg", figure);
            foreach (var policy in new[] { "no-repair", "eks-defaults", "nights" })
                Assert.Matches($"data-policy=\"{policy}\" data-points=\"[1-9][0-9]*\"", figure);
        }
    }

    [Theory]
    [InlineData(new string[0], "simulate needs a scenario file")]
    [InlineData(new[] { "--format", "pdf", "x.yaml" }, "--format 'pdf' must be table, json or html")]
    [InlineData(new[] { "x.yaml", "--seed", "minus-one" }, "--seed needs a whole number")]
    [InlineData(new[] { "x.yaml", "--days", "0" }, "--days needs a whole number from 1 to 3650")]
    [InlineData(new[] { "x.yaml", "extra.yaml" }, "unexpected argument 'extra.yaml'")]
    [InlineData(new[] { "/nonexistent/scenario.yaml" }, "scenario file /nonexistent/scenario.yaml does not exist")]
    public void Bad_arguments_exit_2_with_the_problem_and_the_usage(string[] args, string problem)
    {
        var (stdout, stderr, code) = Run(["simulate", .. args]);

        Assert.Equal((2, ""), (code, stdout));
        Assert.Contains(problem, stderr);
        Assert.Contains("usage: coordinator simulate", stderr);
    }

    [Fact]
    public void A_broken_scenario_exits_2_naming_its_line()
    {
        var file = Write("broken.yaml", Small.Replace("reason: NvidiaXID63Error", "reason: NvidiaXID63Eror"));

        var (_, stderr, code) = Run("simulate", file);

        Assert.Equal(2, code);
        Assert.Contains($"{file} line 17: the catalog defines no reason NvidiaXID63Eror for AcceleratedHardwareReady", stderr);
    }

    [Fact]
    public void A_coordinator_start_is_not_a_subcommand()
    {
        Assert.Null(SimulationCommands.Dispatch([]));
        Assert.Null(SimulationCommands.Dispatch(["--Coordinator:HttpPort=8080"]));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (string Stdout, string Stderr, int Code) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = args[0] == "simulate" ? SimulationCommands.Simulate(args[1..], stdout, stderr) : throw new ArgumentException(args[0]);
        return (stdout.ToString(), stderr.ToString(), code);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

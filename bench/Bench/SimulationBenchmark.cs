using System.Diagnostics;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Simulation;



/// <summary>
/// DESIGN §8: 10,000 nodes × 365 days with the default fault model through the real decider in under 5 s on one core.
/// Scales scenarios/default.yaml's one pool to <c>nodes</c> and runs each of its policies that repairs, one after another.
/// </summary>
public static class SimulationBenchmark
{
    public static void Run(string scenarioFile, int nodes, int days)
    {
        var catalog = CatalogLoader.LoadBuiltIn();
        var scenario = ScenarioParser.Load(scenarioFile, catalog);
        scenario = scenario with
        {
            Pools = [scenario.Pools[0] with { Nodes = nodes }],
            Length = TimeSpan.FromDays(days),
            Policies = [.. scenario.Policies.Where(p => p.Policy.Mode != NodeHealth.Actors.Repair.Policy.RepairMode.Off)],
        };
        Console.WriteLine($"simulate: {scenarioFile}, {nodes:N0} nodes × {days} days, {scenario.Policies.Length} policies (one thread)");
        foreach (var policy in scenario.Policies)
        {
            var one = scenario with { Policies = [policy] };
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var result = NodeHealth.Actors.Simulation.Simulator.Run(one, catalog).Policies[0];
            clock.Stop();
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(
                $"  {policy.Name,-16} {clock.Elapsed.TotalSeconds,6:0.00} s wall, {used.TotalSeconds,6:0.00} s CPU; {result.FaultsInjected:N0} faults, " +
                $"{result.RepairsStarted:N0} repairs, {result.Rounds:N0} rounds ({result.Rounds / clock.Elapsed.TotalSeconds:N0}/s), " +
                $"{result.NodeEvaluations:N0} node evaluations ({result.NodeEvaluations / clock.Elapsed.TotalSeconds:N0}/s); availability {result.Availability:P3}");
        }
    }
}

using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Simulation;

/// <summary>Runs every policy of a scenario on the same fleet and the same faults (same seed), and puts the results side by side.</summary>
public static class Simulator
{
    /// <summary>
    /// <paramref name="progress"/> hears (policy index, share of that policy done); <paramref name="cancel"/> stops a run
    /// (the HTTP API bounds its duration with it).
    /// </summary>
    public static SimulationReport Run(Scenario scenario, ReasonCatalog catalog, Action<int, double>? progress = null, CancellationToken cancel = default)
    {
        var results = scenario.Policies.Select((policy, i) =>
            new PolicySimulation(scenario, policy, catalog).Run(share => progress?.Invoke(i, share), cancel)).ToList();
        return new SimulationReport(scenario.Name, scenario.Origin, scenario.Seed, scenario.Start, scenario.Length.TotalDays, scenario.NodeCount,
            scenario.Pools.Sum(p => p.Nodes * p.AcceleratorsPerNode), Yaml.Duration.Text(scenario.DecideEvery), [.. results]);
    }
}

using NodeHealth.Actors.Simulation;
using Sim = NodeHealth.Actors.Simulation.Simulator;

namespace NodeHealth.Actors.Tests.Simulation;

public sealed class SimulationTests
{
    public static TheoryData<string> ShippedScenarios()
    {
        var files = new TheoryData<string>();
        foreach (var file in Scenarios.Shipped())
            files.Add(Path.GetFileName(file));
        return files;
    }

    [Theory]
    [MemberData(nameof(ShippedScenarios))]
    public void Invariants_hold_in_every_shipped_scenario(string file)
    {
        var report = Sim.Run(Scenarios.Load(file), Scenarios.Catalog); // Each at its full length, as shipped.

        Assert.All(report.Policies, p =>
        {
            Assert.True(p.Invariants.BudgetViolations == 0, $"{p.Policy}: {string.Join("; ", p.Invariants.Examples)}");
            Assert.True(p.Invariants.MaintenanceWindowViolations == 0, $"{p.Policy}: {string.Join("; ", p.Invariants.Examples)}");
            Assert.InRange(p.Availability, 0.5, 1.0);
        });
        Assert.Contains(report.Policies, p => p.FaultsInjected > 0);
    }

    [Fact]
    public void Each_policy_reports_its_progress_as_a_share_that_never_goes_back()
    {
        var heard = new List<(int Policy, double Share)>();

        var report = Sim.Run(Scenarios.Load("default.yaml"), Scenarios.Catalog, (policy, share) => heard.Add((policy, share)));

        Assert.Equal(Enumerable.Range(0, report.Policies.Length), heard.Select(h => h.Policy).Distinct()); // In turn, each heard from.
        Assert.All(heard.GroupBy(h => h.Policy), policy =>
        {
            var shares = policy.Select(h => h.Share).ToList();
            Assert.Equal(0.0, shares[0]);
            Assert.Equal(1.0, shares[^1]); // A short run says at least where it starts and that it ended.
            Assert.Equal(shares.Order(), shares);
            Assert.All(shares, share => Assert.InRange(share, 0.0, 1.0));
        });
    }

    [Fact]
    public void The_storm_breaker_trips_in_the_zone_partition_scenario_and_the_guards_save_the_nodes_that_no_guards_replaces()
    {
        var report = Sim.Run(Scenarios.Load("zone-partition.yaml"), Scenarios.Catalog);
        var defaults = report.Policies.Single(p => p.Policy == "eks-defaults");
        var longBreaker = report.Policies.Single(p => p.Policy == "storm-breaker-2h");
        var unguarded = report.Policies.Single(p => p.Policy == "no-guards");

        Assert.True(defaults.BreakerTrips >= 1, $"breaker trips: {defaults.BreakerTrips}");
        // The default cool-down (30m) ends at the round the partitioned nodes' 30m wait does: the pool limit holds them.
        Assert.True(defaults.BlockedBy.GetValueOrDefault("PoolUnhealthy") > 0, string.Join(", ", defaults.BlockedBy));
        Assert.True(longBreaker.BlockedBy.GetValueOrDefault("ZoneStorm") > 0, string.Join(", ", longBreaker.BlockedBy));
        Assert.Equal(0, unguarded.BreakerTrips);
        Assert.True(unguarded.UnnecessaryRepairs > defaults.UnnecessaryRepairs + 10,
            $"unnecessary repairs: no-guards {unguarded.UnnecessaryRepairs}, eks-defaults {defaults.UnnecessaryRepairs}");
    }

    /// <summary>
    /// Renewal theory: a node up for Exp(λ) and down for a fixed D is available 1/(1+λD) of the time. λ = 0.01/h, D = 10 h:
    /// A = 0.909091. The time-average of one node over T has variance (μd²σu² + μu²σd²)/((μu+μd)³T) with μu = σu = 100 h,
    /// μd = 10 h, σd = 0: 1e6/(110³ · 8760) = 8.58e-5, so σ = 0.0093 per node and 0.00065 over 200 independent nodes. The
    /// tolerance is 4σ = 0.0026 (the start with every node up biases by about D(1−A)/T = 1e-4, well inside it).
    /// </summary>
    [Fact]
    public void Without_repair_availability_matches_renewal_theory()
    {
        var scenario = Scenarios.Parse("""
            days: 365
            seed: 2024
            fleet:
              pools:
                - name: cpu
                  nodes: 200
                  zones: [a]
            faults:
              - name: fixed-length
                condition: KernelReady
                reason: ForkFailedOutOfPIDs
                ratePerNodeDay: 0.24
                clearsAfter: 10h
                clearing: fixed
            policies:
              - name: no-repair
                mode: Off
            """);
        const double lambda = 0.01, d = 10, nodes = 200, hours = 365 * 24;
        var expected = 1 / (1 + lambda * d);
        var (mu, sigmaUp) = (1 / lambda, 1 / lambda);
        var sigma = Math.Sqrt(d * d * sigmaUp * sigmaUp / Math.Pow(mu + d, 3) / hours / nodes);

        var result = Sim.Run(scenario, Scenarios.Catalog).Policies.Single();

        Assert.InRange(result.Availability, expected - 4 * sigma, expected + 4 * sigma);
        Assert.Equal(0, result.RepairsStarted);
        Assert.InRange(result.FaultsInjected, 14_000, 18_000); // ≈ 200 · 8760 / 110 = 15,927 cycles.
    }

    [Fact]
    public void The_same_seed_gives_the_same_run_and_another_seed_another()
    {
        var scenario = Scenarios.Load("lemons.yaml") with { Length = TimeSpan.FromDays(5) };

        var first = Sim.Run(scenario, Scenarios.Catalog).Policies;
        var again = Sim.Run(scenario, Scenarios.Catalog).Policies;
        var other = Sim.Run(scenario with { Seed = scenario.Seed + 1 }, Scenarios.Catalog).Policies;

        Assert.Equal(first.Select(Summary), again.Select(Summary));
        Assert.NotEqual(first.Select(Summary), other.Select(Summary));
    }

    /// <summary>Ten days of 100 H100 nodes whose HBM fails (XID 63, a reboot) 0.05 times per node-day; policies follow.</summary>
    private const string GpuFleetWithHbmFaults = """
        days: 10
        fleet:
          pools:
            - name: gpu
              nodes: 100
              zones: [a, b]
              accelerator: nvidia-h100
        faults:
          - name: hbm
            condition: AcceleratedHardwareReady
            reason: NvidiaXID63Error
            ratePerNodeDay: 0.05

        """;

    [Fact]
    public void Every_policy_meets_the_same_faults_on_the_same_slots()
    {
        var scenario = Scenarios.Parse(GpuFleetWithHbmFaults + """
            policies:
              - name: off
                mode: Off
              - name: on
                policy: ""
            """);

        var report = Sim.Run(scenario, Scenarios.Catalog);
        var (off, on) = (report.Policies[0], report.Policies[1]);

        Assert.True(on.RepairsByAction.GetValueOrDefault("Reboot") > 0, "XID 63 is a reboot in the catalog");
        Assert.True(on.Availability > off.Availability + 0.05, $"repair on {on.Availability}, off {off.Availability}");
        Assert.True(on.TimeToRepair.P50Hours < 1, $"p50 {on.TimeToRepair.P50Hours} h: 10m wait + 15m drain + 10m reboot");
    }

    [Fact]
    public void Repairs_held_for_approval_start_after_the_simulated_operator_answers_and_cost_the_wait_in_availability()
    {
        var scenario = Scenarios.Parse(GpuFleetWithHbmFaults + """
            repairs:
              approvalDelay: 3h
            policies:
              - name: on
                policy: ""
              - name: approve
                policy: |
                  approval:
                    actions: [Reboot]
            """);

        var report = Sim.Run(scenario, Scenarios.Catalog);
        var (on, approve) = (report.Policies[0], report.Policies[1]);

        Assert.True(approve.RepairsStarted > 0, "every held repair is approved in the end");
        Assert.True(approve.TimeToRepair.P50Hours > 3 && on.TimeToRepair.P50Hours < 1,
            $"p50 {approve.TimeToRepair.P50Hours} h with approval (10m wait + 3h to approve + drain and reboot), {on.TimeToRepair.P50Hours} h without");
        Assert.True(approve.Availability < on.Availability, $"approval {approve.Availability}, none {on.Availability}");
        Assert.Equal(0, approve.Invariants.BudgetViolations + approve.Invariants.MaintenanceWindowViolations);
    }

    private static string Summary(PolicyResult p) =>
        $"{p.Policy} {p.Availability} {p.FaultsInjected} {p.RepairsStarted} {p.UnnecessaryRepairs} {p.RepairsBlocked} {p.TimeToRepair.P50Hours} {p.Rounds}";
}

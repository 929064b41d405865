using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Actors.Simulation;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Simulation;

public sealed class ScenarioParserTests
{
    private const string Fleet = """
        fleet:
          pools:
            - name: gpu
              nodes: 10
              zones: [a, b]
              accelerator: nvidia-h100
        """;

    private const string Policies = """
        policies:
          - name: defaults
            policy: |
              budgets:
                maxParallelCount: 2
          - name: off
            mode: Off
        """;

    [Fact]
    public void A_complete_scenario_reads_into_fleet_faults_events_and_real_policies()
    {
        var scenario = Scenarios.Parse($"""
            name: small
            days: 3
            seed: 9
            {Fleet}
            faults:
              - name: gpu-off-bus
                condition: AcceleratedHardwareReady
                reason: NvidiaXID79Error
                ratePerNodeDay: 0.01
                rebootFixes: false
              - name: pids
                condition: KernelReady
                reason: ForkFailedOutOfPIDs
                ratePerNodeDay: 0.02
                clearsAfter: 45m
                clearing: fixed
            events:
              - type: zonePartition
                at: 24h
                zone: a
                duration: 1h
                condition: NetworkingReady
                status: Unknown
                reason: InterfaceNotRunning
            {Policies}
            """);

        Assert.Equal(("small", 3.0, 9UL, 10), (scenario.Name, scenario.Length.TotalDays, scenario.Seed, scenario.NodeCount));
        Assert.Equal(new Clearing(TimeSpan.FromMinutes(45), Exponential: false), scenario.Faults[1].Clearing);
        Assert.False(scenario.Faults[0].RebootFixes);
        Assert.Equal((CorrelatedKind.ZonePartition, "a", ConditionStatus.Unknown), (scenario.Events[0].Kind, scenario.Events[0].Zone, scenario.Events[0].Status));
        Assert.Equal(2, scenario.Policies[0].Policy.Budgets.EveryPool.MaxParallelCount);
        Assert.Equal((RepairMode.On, RepairMode.Off), (scenario.Policies[0].Policy.Mode, scenario.Policies[1].Policy.Mode));
    }

    [Theory]
    [InlineData("faults:\n  - name: x\n    condition: AcceleratedHardwareReady\n    reason: NvidiaXID43Error\n    ratePerNodeDay: 0.1\n",
        "test.yaml line 8: the catalog defines no reason NvidiaXID43Error for AcceleratedHardwareReady")]
    [InlineData("faults:\n  - name: x\n    condition: DiskPressure\n    reason: KubeletHasDiskPressure\n    ratePerNodeDay: 0.1\n",
        "test.yaml line 8: condition 'DiskPressure' must be one of")]
    [InlineData("faults:\n  - name: x\n    condition: KernelReady\n    reason: ForkFailedOutOfPIDs\n    ratePerNodeDay: 0.1\n    clearsAfter: soon\n",
        "test.yaml line 8: clearsAfter 'soon' must look like 90s, 10m, 1h or 7d")]
    [InlineData("faults:\n  - name: x\n    condition: KernelReady\n    reason: ForkFailedOutOfPIDs\n    ratePerNodeDay: 0.1\n    wait: 5m\n",
        "test.yaml line 12, column 5: unknown key 'wait'")]
    [InlineData("events:\n  - type: zonePartition\n    zone: nowhere\n    condition: NetworkingReady\n    reason: InterfaceNotRunning\n",
        "test.yaml line 8: zone nowhere is not a zone of any pool (a, b)")]
    [InlineData("events:\n  - type: meteor\n", "test.yaml line 8: event type 'meteor' must be")]
    public void A_bad_entry_names_the_file_the_line_and_the_problem(string entry, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => Scenarios.Parse($"{Fleet}\n{entry}{Policies}"));

        Assert.StartsWith(expected.Split("; the keys")[0], e.Message);
    }

    [Fact]
    public void A_policy_that_the_real_loader_refuses_names_the_scenario_line_and_the_policy_problem()
    {
        var e = Assert.Throws<ScenarioException>(() => Scenarios.Parse($"""
            {Fleet}
            policies:
              - name: typo
                policy: |
                  budgets:
                    maxParallelCont: 2
            """));

        Assert.Contains("test.yaml line 8: policy typo:", e.Message);
        Assert.Contains("unknown key 'maxParallelCont'", e.Message);
    }

    [Fact]
    public void Policy_files_are_refused_where_the_limits_forbid_them_as_in_the_HTTP_API()
    {
        var yaml = $"{Fleet}\npolicies:\n  - name: eks\n    file: policies/eks-defaults.yaml\n";
        var limits = new ScenarioLimits(1_000_000, 10_000, AllowPolicyFiles: false);

        var e = Assert.Throws<ScenarioException>(() => ScenarioParser.Parse("request", yaml, Scenarios.Catalog, null, limits));

        Assert.Equal("request line 8: policy eks: file is not allowed here; put the policy inline (policy: |)", e.Message);
    }

    [Fact]
    public void A_fleet_larger_than_the_limits_is_refused_before_anything_runs()
    {
        var limits = new ScenarioLimits(MaxNodeDays: 100, MaxNodes: 10_000, AllowPolicyFiles: false);

        var e = Assert.Throws<ScenarioException>(() => ScenarioParser.Parse("request", $"days: 30\n{Fleet}\n{Policies}", Scenarios.Catalog, null, limits));

        Assert.Contains("10 nodes for 30 days is more than this simulation allows", e.Message);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("fleet: [1, 2", "test.yaml line")]
    [InlineData("\u0000\u0001garbage: {", "test.yaml line")]
    public void Garbage_is_a_clear_error_not_a_crash(string yaml, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => Scenarios.Parse(yaml));

        Assert.Contains(expected, e.Message);
    }
}

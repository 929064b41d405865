using System.Collections.Immutable;
using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

public sealed class RepairDeciderTests
{
    private static readonly RepairPolicy On = RepairPolicy.Default with { Mode = RepairMode.On };

    private static NodeSnapshot Gpu(string name, int sinceMinute, string reason = "NvidiaXID48Error", string pool = "workers", string zone = "eu-west-1a") =>
        Node(name, pool, zone, False("AcceleratedHardwareReady", reason, At(sinceMinute)), True("Ready"));

    private static RepairRound Decide(RepairPolicy policy, FleetSnapshot fleet, int nowMinute, RepairLedger? ledger = null) =>
        RepairDecider.Decide(policy, Catalog, fleet, ledger ?? RepairLedger.Empty, At(nowMinute));

    private static RepairDecision Of(RepairRound round, string node) => round.Decisions.Single(d => d.Node == node);

    private static string Facts(RepairDecision d) => $"{d.Node} {d.Verdict} {d.Denial} {d.Action} {d.NotBefore} {d.Explanation.Text}";

    private static RepairRecord Running(string node, string pool = "workers") =>
        new($"repair-{node}", node, pool, "eu-west-1a", "KernelReady", "ForkFailedOutOfPIDs", RepairAction.Replace, At(0));

    [Fact]
    public void Mode_off_decides_nothing_and_leaves_repair_to_EKS_or_Karpenter()
    {
        var round = Decide(On with { Mode = RepairMode.Off }, FleetOf(Healthy(20), [Gpu("gpu-1", 0)]), 60);

        Assert.Empty(round.Decisions);
    }

    [Fact]
    public void A_due_fault_starts_its_repair_with_an_explanation_of_findings_rule_clause_and_budget()
    {
        var decision = Of(Decide(On, FleetOf(Healthy(20), [Gpu("gpu-1", 0)]), 10), "gpu-1");

        Assert.Equal((RepairVerdict.Start, RepairAction.Reboot, Denial.None, false), (decision.Verdict, decision.Action, decision.Denial, decision.DryRun));
        Assert.Equal(("AcceleratedHardwareReady", "NvidiaXID48Error", "workers", "eu-west-1a"), (decision.Condition, decision.Reason, decision.Pool, decision.Zone));
        Assert.Single(decision.Explanation.Findings);
        Assert.Contains("AcceleratedHardwareReady=False (NvidiaXID48Error) since 2026-11-27 12:00:00Z, past its wait of 10m: Reboot", decision.Explanation.Rule);
        Assert.Contains("catalog accelerator.yaml", decision.Explanation.Clause);
        Assert.Equal((21, 1, 0, 1), (decision.Explanation.Budget.PoolNodes, decision.Explanation.Budget.PoolUnhealthy, decision.Explanation.Budget.PoolInFlight, decision.Explanation.Budget.PoolParallelLimit));
        Assert.Contains("Budget: pool workers: 1/21 unhealthy", decision.Explanation.Text);
    }

    [Fact]
    public void Dry_run_records_the_same_decisions_marked_as_dry_run()
    {
        var fleet = FleetOf(Healthy(20), [Gpu("gpu-1", 0)]);

        var dry = Of(Decide(RepairPolicy.Default, fleet, 10), "gpu-1");
        var live = Of(Decide(On, fleet, 10), "gpu-1");

        Assert.True(dry.DryRun);
        Assert.False(live.DryRun);
        Assert.Equal(Facts(live), Facts(dry));
    }

    [Fact]
    public void A_fault_not_yet_due_waits_and_names_when_it_will_be()
    {
        var decision = Of(Decide(On, FleetOf(Healthy(20), [Gpu("gpu-1", 0)]), 9), "gpu-1");

        Assert.Equal((RepairVerdict.Wait, At(10)), (decision.Verdict, decision.NotBefore));
        Assert.Contains("due at 2026-11-27 12:10:00Z", decision.Explanation.Rule);
    }

    [Theory]
    [InlineData("NvidiaDeviceCountMismatch")]
    public void An_unhealthy_node_no_rule_repairs_gets_a_no_action_decision_that_says_why(string reason)
    {
        var decision = Of(Decide(On, FleetOf(Healthy(20), [Gpu("gpu-1", 0, reason)]), 60), "gpu-1");

        Assert.Equal((RepairVerdict.NoAction, RepairAction.None), (decision.Verdict, decision.Action));
        Assert.Contains($"AcceleratedHardwareReady/{reason}: AcceleratedHardwareReady/{reason} repair None", decision.Explanation.Rule);
    }

    [Fact]
    public void Unknown_alone_gets_no_action()
    {
        var decision = Of(Decide(On, FleetOf(Healthy(20), [Node("silent", "workers", "eu-west-1a", Unknown("KernelReady", At(0)))]), 600), "silent");

        Assert.Equal(RepairVerdict.NoAction, decision.Verdict);
        Assert.Contains("status Unknown never triggers repair", decision.Explanation.Rule);
    }

    [Fact]
    public void The_strongest_due_action_of_a_node_wins()
    {
        var node = Node("gpu-1", "workers", "eu-west-1a", False("AcceleratedHardwareReady", "NvidiaXID48Error", At(0)), False("KernelReady", "ForkFailedOutOfPIDs", At(0)));

        var decision = Of(Decide(On, FleetOf(Healthy(20), [node]), 30), "gpu-1");

        Assert.Equal((RepairAction.Replace, "KernelReady"), (decision.Action, decision.Condition));
        Assert.Equal(2, decision.Explanation.Findings.Length);
    }

    public static TheoryData<string, Func<RepairPolicy, RepairPolicy>, Func<NodeSnapshot, NodeSnapshot>, RepairLedger, Denial, string> Denials => new()
    {
        { "opt-out label", p => p, n => n with { Labels = n.Labels.Add("node-health.io/repair-opt-out", "true") }, RepairLedger.Empty, Denial.OptOut, "gpu-1 opted out of repair (label node-health.io/repair-opt-out=true)" },
        { "opt-out annotation", p => p, n => n with { Annotations = n.Annotations.Add("node-health.io/repair-opt-out", "yes") }, RepairLedger.Empty, Denial.OptOut, "(annotation node-health.io/repair-opt-out=yes)" },
        { "node pause", p => p, n => n, RepairLedger.Empty with { PausedNodes = ImmutableDictionary<string, NodePause>.Empty.Add("gpu-1", new NodePause("gpu-1", "bob", At(2), "flaky NIC")) }, Denial.NodePaused, "repair of gpu-1 is paused by bob since 2026-11-27 12:02:00Z: flaky NIC" },
        { "global pause", p => p, n => n, RepairLedger.Empty with { Pause = new OperatorPause("alice", At(1), "GPU driver rollout") }, Denial.Paused, "repair is paused by alice since 2026-11-27 12:01:00Z: GPU driver rollout" },
        { "maintenance window", p => p with { MaintenanceWindows = RepairPolicyLoader.Parse("w.yaml", "maintenanceWindows:\n  - { days: [Sat], start: '02:00', end: '04:00', timeZone: UTC }\n", Catalog).MaintenanceWindows }, n => n, RepairLedger.Empty, Denial.MaintenanceWindow, "outside every maintenance window; the next opens at 2026-11-28 02:00:00Z" },
        { "backoff", p => p, n => n, RepairLedger.Empty with { Repairs = [new("r1", "gpu-1", "workers", "eu-west-1a", "KernelReady", "X", RepairAction.Replace, At(-60)) { Outcome = RepairOutcome.Failed, FinishedAt = At(55) }] }, Denial.Backoff, "the last repair (Replace) failed at 2026-11-27 12:55:00Z" },
        { "attempt cap", p => p with { Escalation = p.Escalation with { MaxAttemptsPerNode = 1 } }, n => n, RepairLedger.Empty with { Repairs = [new("r1", "gpu-1", "workers", "eu-west-1a", "KernelReady", "X", RepairAction.Replace, At(-600)) { Outcome = RepairOutcome.Succeeded, FinishedAt = At(-500) }] }, Denial.AttemptCap, "1 repairs of this node within 1d reached the cap of 1" },
        { "zone breaker", p => p, n => n, RepairLedger.Empty with { Zones = ImmutableDictionary<string, ZoneBreakerState>.Empty.Add("eu-west-1a", new ZoneBreakerState("eu-west-1a", At(50), "a storm", null)) }, Denial.ZoneStorm, "the storm breaker of zone eu-west-1a tripped at 2026-11-27 12:50:00Z: a storm" },
        { "fleet parallel", p => p with { Budgets = p.Budgets with { MaxParallelTotal = 1 } }, n => n, RepairLedger.Empty with { Repairs = [Running("elsewhere", "other-pool")] }, Denial.FleetParallel, "the fleet already has 1 repair(s) running, its limit is 1" },
    };

    [Theory]
    [MemberData(nameof(Denials))]
    public void Every_denial_is_a_decision_that_explains_itself(string clause, Func<RepairPolicy, RepairPolicy> policy, Func<NodeSnapshot, NodeSnapshot> node, RepairLedger ledger, Denial denial, string why)
    {
        var decision = Of(Decide(policy(On), FleetOf(Healthy(20), [node(Gpu("gpu-1", 0))]), 60, ledger), "gpu-1");

        Assert.True(decision.Verdict == RepairVerdict.Deny && decision.Denial == denial, $"{clause}: {decision.Verdict} {decision.Denial}: {decision.Explanation.Text}");
        Assert.Contains(why, decision.Explanation.Rule);
        Assert.NotEmpty(decision.Explanation.Clause);
    }

    [Fact]
    public void A_pool_with_more_than_20_percent_unhealthy_stops_new_repairs()
    {
        var round = Decide(On, FleetOf(Healthy(7), [Gpu("gpu-1", 0), Gpu("gpu-2", 0), Gpu("gpu-3", 0)]), 60);

        Assert.All(round.Decisions, d => Assert.Equal(Denial.PoolUnhealthy, d.Denial));
        Assert.Contains("3 of 10 nodes in pool workers are unhealthy (30 %), more than 20 % of a pool of more than 5 nodes", round.Decisions[0].Explanation.Rule);
    }

    [Fact]
    public void The_parallel_limit_denies_the_third_concurrent_repair_in_a_pool_oldest_fault_first()
    {
        var policy = On with { Budgets = On.Budgets with { EveryPool = On.Budgets.EveryPool with { MaxParallelCount = 2 } } };
        var fleet = FleetOf(Healthy(20), [Gpu("gpu-a", 3), Gpu("gpu-b", 1), Gpu("gpu-c", 2)]);

        var round = Decide(policy, fleet, 60);

        Assert.Equal([RepairVerdict.Deny, RepairVerdict.Start, RepairVerdict.Start], round.Decisions.Select(d => d.Verdict));
        Assert.Equal(Denial.PoolParallel, Of(round, "gpu-a").Denial);
        Assert.Contains("pool workers already has 2 repair(s) running, its limit is 2", Of(round, "gpu-a").Explanation.Rule);
    }

    [Fact]
    public void A_running_repair_counts_against_its_pool_and_its_node_is_reported_in_flight()
    {
        var ledger = RepairLedger.Empty with { Repairs = [Running("node-0")] };

        var round = Decide(On, FleetOf(Healthy(20), [Gpu("gpu-1", 0)]), 60, ledger);

        Assert.Equal(Denial.PoolParallel, Of(round, "gpu-1").Denial);
        Assert.Equal(2, Of(round, "gpu-1").Explanation.Budget.PoolUnhealthy); // the node in repair counts as unhealthy
    }

    [Fact]
    public void A_node_with_a_running_repair_is_not_decided_again()
    {
        var ledger = RepairLedger.Empty with { Repairs = [Running("gpu-1")] };

        var decision = Of(Decide(On, FleetOf(Healthy(20), [Gpu("gpu-1", 0)]), 60, ledger), "gpu-1");

        Assert.Equal((RepairVerdict.InFlight, RepairAction.Replace), (decision.Verdict, decision.Action));
    }

    [Fact]
    public void A_node_being_replaced_still_counts_in_its_pool_when_it_is_gone_from_the_snapshot()
    {
        var policy = On with { Budgets = On.Budgets with { EveryPool = On.Budgets.EveryPool with { MaxUnhealthyCount = 1, MaxUnhealthyPercent = null, MaxParallelCount = 5 } } };
        var ledger = RepairLedger.Empty with { Repairs = [Running("deleted-node")] };

        var decision = Of(Decide(policy, FleetOf(Healthy(20), [Gpu("gpu-1", 0)]), 60, ledger), "gpu-1");

        Assert.Equal(Denial.PoolUnhealthy, decision.Denial);
        Assert.Equal((22, 2), (decision.Explanation.Budget.PoolNodes, decision.Explanation.Budget.PoolUnhealthy));
    }

    [Fact]
    public void A_zone_degrading_at_once_trips_its_breaker_and_denies_repairs_there_only()
    {
        var policy = On with { Budgets = On.Budgets with { EveryPool = On.Budgets.EveryPool with { MaxUnhealthyPercent = 100, MaxParallelCount = 10 } } };
        var zoneA = Enumerable.Range(0, 4).Select(i => Node($"a-{i}", "workers", "zone-a", Unknown("Ready", At(55)), False("KernelReady", "ForkFailedOutOfPIDs", At(55))));
        var fleet = FleetOf(Healthy(6, zone: "zone-a", prefix: "a-ok"), zoneA, Healthy(10, zone: "zone-b", prefix: "b-ok"), [Gpu("b-gpu", 0, zone: "zone-b")]);

        var round = Decide(policy with { Overrides = [new ReasonOverride("KernelReady", "ForkFailedOutOfPIDs", TimeSpan.Zero, null, new PolicyClause("now", "test"))] }, fleet, 60);

        var trip = Assert.Single(round.ZoneChanges);
        Assert.Equal(("zone-a", true), (trip.Zone, trip.Tripped));
        Assert.True(round.Ledger.Zones["zone-a"].Tripped);
        Assert.All(round.Decisions.Where(d => d.Zone == "zone-a"), d => Assert.Equal(Denial.ZoneStorm, d.Denial));
        Assert.Equal(RepairVerdict.Start, Of(round, "b-gpu").Verdict);
    }

    [Fact]
    public void A_reboot_whose_fault_returns_within_the_window_escalates_to_replace_in_the_decision()
    {
        var ledger = RepairLedger.Empty with { Repairs = [new("r1", "gpu-1", "workers", "eu-west-1a", "AcceleratedHardwareReady", "NvidiaXID48Error", RepairAction.Reboot, At(-30)) { Outcome = RepairOutcome.Succeeded, FinishedAt = At(-20) }] };

        var decision = Of(Decide(On, FleetOf(Healthy(20), [Gpu("gpu-1", 0)]), 10, ledger), "gpu-1");

        Assert.Equal((RepairVerdict.Start, RepairAction.Replace), (decision.Verdict, decision.Action));
        Assert.Contains("escalate to Replace", decision.Explanation.Rule);
    }

    [Fact]
    public void Decisions_do_not_depend_on_the_order_of_the_snapshot()
    {
        var nodes = Healthy(20).Concat([Gpu("gpu-a", 3), Gpu("gpu-b", 1), Gpu("gpu-c", 2)]).ToList();

        var forward = Decide(On, new FleetSnapshot([.. nodes]), 60);
        nodes.Reverse();
        var backward = Decide(On, new FleetSnapshot([.. nodes]), 60);

        Assert.Equal(forward.Decisions.Select(Facts), backward.Decisions.Select(Facts));
    }

    [Fact]
    public void A_denial_reads_as_rule_clause_findings_and_budget()
    {
        var fleet = FleetOf(Healthy(20), [Gpu("gpu-1", 0), Node("gpu-2", "workers", "eu-west-1a", False("KernelReady", "ForkFailedOutOfPIDs", At(1)))]);

        var denied = Of(Decide(On, fleet, 60), "gpu-2");

        Assert.Equal(
            "KernelReady=False (ForkFailedOutOfPIDs) since 2026-11-27 12:01:00Z, past its wait of 30m: Replace (Replace as the rule says); "
            + "denied: pool workers already has 1 repair(s) running, its limit is 1 [budgets: 1 at once per pool (default)]. "
            + "Findings: KernelReady=False (ForkFailedOutOfPIDs) since 2026-11-27 12:01:00Z: wait 30m [waits 30m, action per reason from the catalog (default (EKS))], "
            + "action Replace [KernelReady/ForkFailedOutOfPIDs repair Replace (catalog kernel.yaml)]. "
            + "Budget: pool workers: 2/22 unhealthy (stop above 20 % unhealthy in pools of more than 5 nodes), 1/1 repairs running; fleet: 1/10 running; "
            + "zone eu-west-1a: closed; maintenance window: none configured (any time).",
            denied.Explanation.Text);
    }

    [Theory]
    [InlineData(null, "node-health.io/repair-opt-out", "false", RepairVerdict.Start)]                           // "false" opts back in
    [InlineData("example.com/keep-hands-off", "example.com/keep-hands-off", "true", RepairVerdict.Deny)]        // a key the policy file names
    [InlineData("example.com/keep-hands-off", "node-health.io/repair-opt-out", "true", RepairVerdict.Start)]    // the file's keys replace the default
    public void Opt_out_keys_come_from_the_policy_and_the_value_false_opts_back_in(string? fileKeys, string label, string value, RepairVerdict verdict)
    {
        var policy = fileKeys is null ? On : RepairPolicyLoader.Parse("p.yaml", $"optOutKeys: [{fileKeys}]\n", Catalog, RepairMode.On);
        var node = Gpu("gpu-1", 0);

        var decision = Of(Decide(policy, FleetOf(Healthy(20), [node with { Labels = node.Labels.Add(label, value) }]), 60), "gpu-1");

        Assert.Equal(verdict, decision.Verdict);
    }
}

using System.Collections.Immutable;
using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Repair;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

/// <summary>An operator's pause of one node: where it sits among the gates, what it leaves alone, and the ledger's record of it.</summary>
public sealed class NodePauseTests
{
    private static readonly RepairPolicy On = RepairPolicy.Default with { Mode = RepairMode.On };
    private static readonly NodePause Bob = new("gpu-1", "bob", At(2), "flaky NIC, investigating");

    // gpu-1's XID 48 (reboot) began at minute 0, gpu-2's at minute 5; both are due by minute 60.
    private static NodeSnapshot Gpu(string name, int sinceMinute) =>
        Node(name, "workers", "eu-west-1a", False("AcceleratedHardwareReady", "NvidiaXID48Error", At(sinceMinute)), True("Ready"));

    private static RepairLedger Paused(RepairLedger ledger, NodePause pause) => ledger.Apply(ledger.Decide(new PauseNode(pause))!);

    private static RepairRound Decide(RepairPolicy policy, RepairLedger ledger, params NodeSnapshot[] sick) =>
        RepairDecider.Decide(policy, Catalog, FleetOf(Healthy(20), sick), ledger, At(60));

    [Fact]
    public void A_paused_node_is_held_back_with_who_when_and_why_and_takes_no_parallel_slot_from_the_others()
    {
        var policy = On with { Budgets = On.Budgets with { EveryPool = On.Budgets.EveryPool with { MaxParallelCount = 1 } } };

        var round = Decide(policy, Paused(RepairLedger.Empty, Bob), Gpu("gpu-1", 0), Gpu("gpu-2", 5));

        var held = round.Decisions.Single(d => d.Node == "gpu-1");
        Assert.Equal((RepairVerdict.Deny, Denial.NodePaused), (held.Verdict, held.Denial));
        Assert.Contains("denied: repair of gpu-1 is paused by bob since 2026-11-27 12:02:00Z: flaky NIC, investigating " +
                        "(POST /api/repairs/nodes/gpu-1/resume lifts it)", held.Explanation.Rule);
        Assert.Equal("node pause (operator)", held.Explanation.Clause);
        Assert.Equal(RepairVerdict.Start, round.Decisions.Single(d => d.Node == "gpu-2").Verdict); // The older fault's slot goes to the next node.
    }

    [Fact]
    public void A_pause_without_a_note_reads_without_one()
    {
        var held = Decide(On, Paused(RepairLedger.Empty, Bob with { Note = "" }), Gpu("gpu-1", 0)).Decisions.Single();

        Assert.Contains("repair of gpu-1 is paused by bob since 2026-11-27 12:02:00Z (POST", held.Explanation.Rule);
    }

    public static TheoryData<string, bool, bool, Denial> GateOrder => new()
    {
        { "opt-out comes first: the node's own label says more than an operator's pause", true, false, Denial.OptOut },
        { "the node's pause before the global pause: it outlives a resume of all repairs", false, true, Denial.NodePaused },
        { "both", true, true, Denial.OptOut },
    };

    [Theory]
    [MemberData(nameof(GateOrder))]
    public void A_node_pause_sits_after_opt_out_and_before_the_global_pause(string why, bool optedOut, bool globalPause, Denial denial)
    {
        var node = Gpu("gpu-1", 0);
        if (optedOut)
            node = node with { Labels = node.Labels.Add("node-health.io/repair-opt-out", "true") };
        var ledger = Paused(RepairLedger.Empty, Bob);
        if (globalPause)
            ledger = ledger with { Pause = new OperatorPause("alice", At(1), "freeze") };

        Assert.True(Decide(On, ledger, node).Decisions.Single().Denial == denial, why);
    }

    [Fact]
    public void A_repair_already_running_goes_on_and_its_decision_says_the_pause_holds_only_the_next_one()
    {
        var running = new RepairRecord("repair-gpu-1", "gpu-1", "workers", "eu-west-1a", "AcceleratedHardwareReady", "NvidiaXID48Error", RepairAction.Reboot, At(20));
        var ledger = Paused(RepairLedger.Empty with { Repairs = [running] }, Bob);

        var decision = Decide(On, ledger, Gpu("gpu-1", 0)).Decisions.Single();

        Assert.Equal((RepairVerdict.InFlight, Denial.None), (decision.Verdict, decision.Denial));
        Assert.EndsWith("(repair repair-gpu-1); paused by bob since 2026-11-27 12:02:00Z: this repair goes on (cancel stops it), no new one starts until resumed",
            decision.Explanation.Rule);
    }

    [Fact]
    public void The_ledger_records_one_pause_per_node_refuses_its_grants_and_forgets_it_only_on_resume()
    {
        var decision = Decide(On, RepairLedger.Empty, Gpu("gpu-1", 0)).Decisions.Single();
        Assert.Equal(RepairVerdict.Start, decision.Verdict); // Decided before the pause: a stale decision.
        var ledger = Paused(RepairLedger.Empty, Bob);

        Assert.Null(ledger.Decide(new PauseNode(Bob with { By = "carol", At = At(3) }))); // The first pause stands.
        Assert.Null(RepairLedger.Empty.Decide(new ResumeNode("gpu-1", "bob", At(3)))); // Nothing to resume.
        var (reply, granted) = ledger.Decide(new GrantRepair("gpu-1-r1", decision));
        Assert.Equal((false, "repair of gpu-1 is paused by bob", (RepairGranted?)null), (reply.Granted, reply.Why, granted));

        var resumed = ledger.Apply(ledger.Decide(new ResumeNode("gpu-1", "bob", At(30)))!);

        Assert.Empty(resumed.PausedNodes);
        Assert.True(resumed.Decide(new GrantRepair("gpu-1-r1", decision)).Reply.Granted);
    }

    [Fact]
    public void The_governor_keeps_a_pause_when_the_node_turns_healthy_and_in_its_snapshot()
    {
        var paused = GovernorRecords.From(Bob);
        var state = GovernorState.Empty.Apply(paused).Apply(new RepairDecisionWithdrawn("gpu-1", At(40).UtcDateTime, "healthy again"));

        Assert.Equal(Bob, state.Ledger.PausedNodes["gpu-1"]);
        Assert.Equal(paused, Assert.Single(state.ToSnapshot().PausedNodes));
        Assert.Equal(Bob, GovernorState.FromSnapshot(state.ToSnapshot()).Ledger.PausedNodes["gpu-1"]);
        Assert.Empty(GovernorState.FromSnapshot(new RepairGovernorState([], [])).Ledger.PausedNodes); // A snapshot from before node pauses.
        Assert.Empty(state.Apply(new RepairNodeResumedByOperator("gpu-1", At(50).UtcDateTime, "bob")).Ledger.PausedNodes);
    }
}

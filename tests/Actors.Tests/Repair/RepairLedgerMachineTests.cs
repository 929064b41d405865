using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Policy;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

public sealed class RepairLedgerMachineTests
{
    private static readonly RepairPolicy TwoPerPool = RepairPolicy.Default with
    {
        Mode = RepairMode.On,
        Budgets = RepairPolicy.Default.Budgets with { EveryPool = RepairPolicy.Default.Budgets.EveryPool with { MaxParallelCount = 2 } },
    };

    private static NodeSnapshot Gpu(string name, int sinceMinute) =>
        Node(name, "workers", "eu-west-1a", False("AcceleratedHardwareReady", "NvidiaXID79Error", At(sinceMinute)));

    private static RepairRound Round(RepairLedger ledger, int nowMinute, params NodeSnapshot[] unhealthy) =>
        RepairDecider.Decide(TwoPerPool, Catalog, FleetOf(Healthy(30), unhealthy), ledger, At(nowMinute));

    private static RepairLedger Grant(RepairLedger ledger, RepairDecision decision, List<IRepairLedgerEvent> journal)
    {
        var (_, granted) = ledger.Decide(new GrantRepair($"repair-{decision.Node}", decision));
        if (granted is null)
            return ledger;
        journal.Add(granted);
        return ledger.Apply(granted);
    }

    [Fact]
    public void A_start_decision_is_granted_once_and_a_repeated_grant_is_answered_without_a_second_event()
    {
        var decision = Round(RepairLedger.Empty, 20, Gpu("gpu-1", 0)).Decisions.Single();
        var (first, granted) = RepairLedger.Empty.Decide(new GrantRepair("r1", decision));
        var ledger = RepairLedger.Empty.Apply(granted!);

        var (again, none) = ledger.Decide(new GrantRepair("r1", decision));

        Assert.True(first.Granted);
        Assert.Equal(new GrantResult(true, "already granted"), again);
        Assert.Null(none);
        Assert.Equal("gpu-1", Assert.Single(ledger.InFlight).Node);
    }

    [Fact]
    public void Decisions_made_from_the_same_stale_ledger_never_overbook_the_pool()
    {
        // Two rounds decided before either grant was recorded: each allows two starts, the ledger grants two in all.
        var roundA = Round(RepairLedger.Empty, 20, Gpu("gpu-1", 0), Gpu("gpu-2", 1));
        var roundB = Round(RepairLedger.Empty, 20, Gpu("gpu-3", 0), Gpu("gpu-4", 1));
        var journal = new List<IRepairLedgerEvent>();

        var ledger = roundA.Decisions.Concat(roundB.Decisions).Aggregate(RepairLedger.Empty, (l, d) => Grant(l, d, journal));

        Assert.Equal(2, ledger.InFlight.Count());
        var (refused, _) = ledger.Decide(new GrantRepair("repair-gpu-3", roundB.Decisions[0]));
        Assert.Equal("2 repairs run in pool workers, the limit is 2", refused.Why);
    }

    [Fact]
    public void Replaying_the_journal_gives_the_same_ledger_and_a_grant_seen_twice_is_kept_once()
    {
        var journal = new List<IRepairLedgerEvent>();
        var ledger = Round(RepairLedger.Empty, 20, Gpu("gpu-1", 0), Gpu("gpu-2", 1)).Decisions.Aggregate(RepairLedger.Empty, (l, d) => Grant(l, d, journal));
        var finished = ledger.Decide(new FinishRepair("repair-gpu-1", RepairOutcome.Succeeded, At(50)))!;
        journal.Add(finished);
        ledger = ledger.Apply(finished);

        var replayed = journal.Concat([journal[0]]).Aggregate(RepairLedger.Empty, (l, e) => l.Apply(e));

        Assert.Equal(ledger.Repairs.Select(r => r.ToString()), replayed.Repairs.Select(r => r.ToString()));
        Assert.Null(ledger.Decide(new FinishRepair("repair-gpu-1", RepairOutcome.Failed, At(60))));
    }

    [Theory]
    [InlineData("dry run")]
    [InlineData("paused")]
    [InlineData("node in flight")]
    public void A_grant_is_refused_when_the_ledger_says_no(string why)
    {
        var decision = Round(RepairLedger.Empty, 20, Gpu("gpu-1", 0)).Decisions.Single();
        var ledger = RepairLedger.Empty;
        if (why == "dry run")
            decision = decision with { DryRun = true };
        if (why == "paused")
            ledger = ledger.Apply(ledger.Decide(new PauseRepairs("alice", "rollout", At(1)))!);
        if (why == "node in flight")
            ledger = ledger.Apply(ledger.Decide(new GrantRepair("other", decision)).Event!);

        var (reply, granted) = ledger.Decide(new GrantRepair("r9", decision));

        Assert.False(reply.Granted);
        Assert.Null(granted);
    }

    [Fact]
    public void Zone_breaker_changes_recorded_as_events_rebuild_the_rounds_breakers()
    {
        var storm = Enumerable.Range(0, 4).Select(i => Gpu($"storm-{i}", 58)).ToArray();
        var round = RepairDecider.Decide(TwoPerPool, Catalog, FleetOf(Healthy(10), storm), RepairLedger.Empty, At(60));

        var events = RepairLedger.Empty.Decide(new RecordZoneChanges(round.ZoneChanges));
        var ledger = events.Aggregate(RepairLedger.Empty, (l, e) => l.Apply(e));
        var resumed = ledger.Apply(ledger.Decide(new ResumeZone("eu-west-1a", "bob", At(61))));

        Assert.IsType<ZoneBreakerTripped>(Assert.Single(events));
        Assert.Equal(round.Ledger.Zones["eu-west-1a"], ledger.Zones["eu-west-1a"]);
        Assert.Empty(ledger.Decide(new RecordZoneChanges(round.ZoneChanges)));
        Assert.Equal(new ZoneBreakerState("eu-west-1a", null, "", At(61)), resumed.Zones["eu-west-1a"]);
    }

    [Fact]
    public void Old_finished_repairs_are_forgotten_but_running_ones_and_each_nodes_latest_are_kept()
    {
        RepairRecord Finished(string id, string node, int startMinute) =>
            new(id, node, "workers", "a", "KernelReady", "X", Contracts.Catalog.RepairAction.Replace, At(startMinute)) { Outcome = RepairOutcome.Failed, FinishedAt = At(startMinute + 30) };
        var running = new RepairRecord("run", "n2", "workers", "a", "KernelReady", "X", Contracts.Catalog.RepairAction.Replace, At(-3000));
        var ledger = RepairLedger.Empty with { Repairs = [Finished("oldest", "n1", -3000), Finished("older", "n1", -2000), running, Finished("n3-only", "n3", -5000), Finished("recent", "n4", -100)] };

        var forgotten = ledger.Apply(ledger.Decide(new ForgetRepairs(At(-1440), At(0)))!);

        Assert.Equal(["older", "run", "n3-only", "recent"], forgotten.Repairs.Select(r => r.Id));
        Assert.Null(forgotten.Decide(new ForgetRepairs(At(-1440), At(1)))); // Nothing more to forget: no event.
    }

    [Fact]
    public void The_ledger_keeps_twice_the_longest_escalation_window_and_at_least_a_week()
    {
        Assert.Equal(TimeSpan.FromDays(7), LedgerRetention.For(RepairPolicy.Default.Escalation));
        Assert.Equal(TimeSpan.FromDays(20), LedgerRetention.For(RepairPolicy.Default.Escalation with { AttemptWindow = TimeSpan.FromDays(10) }));
    }
}

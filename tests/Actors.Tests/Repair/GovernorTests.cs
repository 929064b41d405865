using Akka.Actor;
using Akka.Configuration;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Actors.Tests.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

/// <summary>The repair governor on virtual time (a manual clock), on the in-memory journal, fed by a fleet it is told.</summary>
public sealed class GovernorTests() : Akka.TestKit.Xunit2.TestKit(Config)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    private readonly ManualClock _clock = new(T0.UtcDateTime);
    private readonly GovernorFleet _fleet = new();



    private static ConditionState Gpu(string reason, int sinceMinute) =>
        new(ConditionType.AcceleratedHardwareReady, ConditionStatus.False, reason, reason, At(sinceMinute).UtcDateTime,
            [new ActiveFault(reason, reason, At(sinceMinute).UtcDateTime, At(sinceMinute).UtcDateTime, 1)]);

    private static ConditionState Healthy() =>
        new(ConditionType.AcceleratedHardwareReady, ConditionStatus.True, "AcceleratedHardwareIsReady", "", T0.AddDays(-1).UtcDateTime, []);

    private static (string, string, string, ConditionState[]) Sick(string name, int sinceMinute, string pool = "workers", string zone = "eu-west-1a") =>
        (name, pool, zone, [Gpu("NvidiaXID79Error", sinceMinute)]);

    private static (string, string, string, ConditionState[]) Well(string name, string pool = "workers", string zone = "eu-west-1a") =>
        (name, pool, zone, [Healthy()]);

    private IActorRef Governor(RepairPolicyHolder policies, int snapshotEvery = 100, IRepairEventSink? events = null)
    {
        var fleetView = Sys.ActorOf(_fleet.View());
        var settings = new RepairGovernorSettings(policies, () => Catalog, _clock)
        {
            Labels = _fleet, DecideEvery = TimeSpan.FromHours(1), SnapshotEvery = snapshotEvery, DecideOnStart = false, Events = events,
        };
        return Sys.ActorOf(Props.Create(() => new RepairGovernor(settings, fleetView)));
    }

    private static RepairPolicyHolder DryRun() => new(RepairPolicy.Default);

    private static async Task<int> Decide(IActorRef governor) => (await governor.Ask<RepairGovernor.RoundDecided>(RepairGovernor.DecideNow.Instance, AskTimeout)).Recorded;

    private static Task<RepairList> Repairs(IActorRef governor, string node = "") => governor.Ask<RepairList>(new GetRepairs(node), AskTimeout);

    private static async Task<RepairDecisionRecorded> Latest(IActorRef governor, string node) => Assert.Single((await Repairs(governor, node)).Decisions);

    [Fact]
    public async Task A_node_unhealthy_past_its_wait_gets_a_dry_run_start_with_its_explanation_recorded_once()
    {
        _fleet.Set(Well("node-0"), Well("node-1"), Sick("gpu-1", 0));
        var governor = Governor(DryRun());

        await Decide(governor);
        var waiting = await Latest(governor, "gpu-1");
        Assert.Equal(("Wait", "Replace", (DateTime?)At(10).UtcDateTime), (waiting.Verdict, waiting.Action.ToString(), waiting.NotBefore));

        _clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, await Decide(governor));
        var start = await Latest(governor, "gpu-1");
        Assert.Equal(("Start", "None", true, At(11).UtcDateTime), (start.Verdict, start.Denial, start.DryRun, start.RecordedAt));
        Assert.Equal(("AcceleratedHardwareReady", "NvidiaXID79Error"), (start.Condition, start.Reason));
        Assert.Contains("AcceleratedHardwareReady=False (NvidiaXID79Error) since 2026-11-27 12:00:00Z, past its wait of 10m: Replace", start.Explanation);
        Assert.Contains("Budget: pool workers: 1/3 unhealthy", start.Explanation);
        Assert.Equal("workers", start.Budget!.Pool);
        Assert.Single(start.Findings);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Decide(governor)); // Same verdict, same explanation: the log does not grow.
        Assert.Equal(At(11).UtcDateTime, (await Latest(governor, "gpu-1")).RecordedAt);

        _fleet.Set(Well("node-0"), Well("node-1"), Well("gpu-1"));
        Assert.Equal(1, await Decide(governor)); // Healthy again: its decision is withdrawn.
        Assert.Empty((await Repairs(governor)).Decisions);
    }

    [Fact]
    public async Task A_pool_over_its_unhealthy_budget_shows_its_repairs_as_denied()
    {
        // 3 of 10 unhealthy: above EKS's 20 % in a pool of more than 5 nodes.
        _fleet.Set([.. Enumerable.Range(0, 7).Select(i => Well($"node-{i}", zone: $"zone-{i}")), Sick("gpu-1", 0, zone: "a"), Sick("gpu-2", 0, zone: "b"), Sick("gpu-3", 0, zone: "c")]);
        _clock.Advance(TimeSpan.FromMinutes(30));
        var governor = Governor(DryRun());

        Assert.Equal(3, await Decide(governor));

        var denied = await Latest(governor, "gpu-1");
        Assert.Equal(("Deny", "PoolUnhealthy", "Replace"), (denied.Verdict, denied.Denial, denied.Action.ToString()));
        Assert.Contains("denied:", denied.Explanation);
        Assert.Contains("budgets: stop above 20 % unhealthy", denied.Clause);
        Assert.Equal((10, 3), (denied.Budget!.PoolNodes, denied.Budget.PoolUnhealthy));
    }

    [Fact]
    public async Task A_second_due_node_in_a_pool_is_denied_by_the_parallel_limit_of_one()
    {
        _fleet.Set(Well("node-0"), Sick("gpu-1", 0), Sick("gpu-2", 1));
        _clock.Advance(TimeSpan.FromMinutes(20));
        var governor = Governor(DryRun());

        await Decide(governor);

        Assert.Equal(("Start", "None"), ((await Latest(governor, "gpu-1")).Verdict, (await Latest(governor, "gpu-1")).Denial));
        Assert.Equal(("Deny", "PoolParallel"), ((await Latest(governor, "gpu-2")).Verdict, (await Latest(governor, "gpu-2")).Denial));
    }

    [Fact]
    public async Task Mode_off_decides_nothing_and_lists_nothing()
    {
        _fleet.Set(Well("node-0"), Sick("gpu-1", 0));
        _clock.Advance(TimeSpan.FromHours(1));
        var governor = Governor(new RepairPolicyHolder(RepairPolicy.Default with { Mode = RepairMode.Off }));

        Assert.Equal(0, await Decide(governor));

        var list = await Repairs(governor);
        Assert.Equal("Off", list.Mode);
        Assert.Empty(list.Decisions);
    }

    [Theory]
    [InlineData(100)] // From the events.
    [InlineData(1)] // From the snapshot.
    public async Task Decisions_and_the_zone_breaker_replay_after_a_restart(int snapshotEvery)
    {
        // 2 of 5 nodes of zone a turned unhealthy within the window: the storm breaker trips.
        _fleet.Set(Well("node-0", zone: "a"), Well("node-1", zone: "a"), Well("node-2", zone: "a"), Sick("gpu-1", 0, zone: "a"), Sick("gpu-2", 1, zone: "a"));
        _clock.Advance(TimeSpan.FromMinutes(5));
        var first = Governor(DryRun(), snapshotEvery);
        Assert.Equal(3, await Decide(first)); // The trip and two decisions.
        var before = await Repairs(first);
        Assert.Contains("tripped at", before.Decisions[0].Budget!.ZoneBreaker);

        await first.GracefulStop(AskTimeout);
        var second = Governor(DryRun(), snapshotEvery);

        var after = await Repairs(second);
        Assert.Equal(before.Decisions.Select(d => (d.Node, d.Verdict, d.Explanation, d.RecordedAt)), after.Decisions.Select(d => (d.Node, d.Verdict, d.Explanation, d.RecordedAt)));
        Assert.Equal(0, await Decide(second)); // The breaker is remembered: no second trip, nothing new.
    }

    [Fact]
    public async Task A_zones_trip_and_resume_and_the_operators_pause_are_told_with_the_unhealthy_nodes_they_hold()
    {
        // Zone a trips (2 of 5 within the window); gpu-3 of zone b is unhealthy too, but only the pause holds it.
        _fleet.Set(Well("node-0", zone: "a"), Well("node-1", zone: "a"), Well("node-2", zone: "a"), Sick("gpu-2", 1, zone: "a"), Sick("gpu-1", 0, zone: "a"),
            Sick("gpu-3", 0, zone: "b"));
        _clock.Advance(TimeSpan.FromMinutes(5));
        var sink = new RecordingSink();
        var governor = Governor(DryRun(), events: sink);

        await Decide(governor);
        await governor.Ask<RepairCommandAnswer>(new RepairOperatorCommand(RepairGovernor.OperatorCommands.Pause, "alice", Note: "rollout"), AskTimeout);
        await governor.Ask<RepairCommandAnswer>(new RepairOperatorCommand(RepairGovernor.OperatorCommands.ResumeZone, "bob", "a"), AskTimeout);

        Assert.Equal(
        [
            ("RepairZoneTripped", "gpu-1,gpu-2"), // Told before the round's decisions are recorded, with the round's nodes.
            ("RepairPausedByOperator", "gpu-1,gpu-2,gpu-3"),
            ("RepairZoneClosed", "gpu-1,gpu-2"),
        ], sink.Concerning);
        Assert.Equal(["gpu-1", "gpu-2", "gpu-3"], sink.Nodes.Order(StringComparer.Ordinal)); // Each decision is told about its node.
    }

    private sealed class RecordingSink : IRepairEventSink
    {
        public List<string> Nodes { get; } = [];

        public List<(string Record, string Nodes)> Concerning { get; } = [];

        public void Record(string node, IRepairGovernorEvent recorded) => Nodes.Add(node);

        public void RecordConcerning(IReadOnlyList<string> nodes, IRepairGovernorEvent recorded) => Concerning.Add((recorded.GetType().Name, string.Join(',', nodes)));
    }

    [Fact]
    public async Task A_policy_edit_applies_at_the_next_round_and_a_broken_edit_keeps_the_last_good_policy()
    {
        var file = Path.Combine(Path.GetTempPath(), $"repair-{Guid.NewGuid():N}.yaml");
        try
        {
            await File.WriteAllTextAsync(file, "overrides:\n  - condition: AcceleratedHardwareReady\n    wait: 5m\n");
            var policies = RepairPolicyHolder.Load(file, RepairMode.DryRun, Catalog);
            var watcher = Sys.ActorOf(Props.Create(() => new RepairPolicyWatcher(policies, () => Catalog, TimeSpan.FromHours(1))));
            _fleet.Set(Well("node-0"), Sick("gpu-1", 0));
            _clock.Advance(TimeSpan.FromMinutes(6));
            var governor = Governor(policies);

            await Decide(governor);
            Assert.Equal("Start", (await Latest(governor, "gpu-1")).Verdict);

            await File.WriteAllTextAsync(file, "overrides:\n  - condition: AcceleratedHardwareReady\n    wait: 20m\n");
            watcher.Tell(RepairPolicyWatcher.Poll.Instance);
            await AwaitAssertAsync(() => Assert.Equal(TimeSpan.FromMinutes(20), policies.Current.Rule("AcceleratedHardwareReady")!.Wait), TimeSpan.FromSeconds(5));
            await Decide(governor);
            var waiting = await Latest(governor, "gpu-1");
            Assert.Equal(("Wait", (DateTime?)At(20).UtcDateTime), (waiting.Verdict, waiting.NotBefore));

            await File.WriteAllTextAsync(file, "overrides:\n  - condition: AcceleratedHardwareReady\n    wiat: 1m\n");
            watcher.Tell(RepairPolicyWatcher.Poll.Instance);
            await AwaitAssertAsync(() => Assert.NotNull(policies.Problem), TimeSpan.FromSeconds(5));
            Assert.Equal(0, await Decide(governor)); // The last good policy (20m) stays in force.
            var list = await Repairs(governor);
            Assert.Contains($"{file} line 3", list.PolicyProblem);
            Assert.Contains("unknown key 'wiat'", list.PolicyProblem);
            Assert.Equal("Wait", Assert.Single(list.Decisions).Verdict);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

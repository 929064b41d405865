using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Actors.Tests.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

/// <summary>
/// The governor in Repair:Mode On carrying repairs out, step by step, through executors that record each call (the
/// real ones are tested against the Kubernetes test server and a real agent). Virtual time for the decisions.
/// </summary>
public sealed class GovernorExecutionTests() : Akka.TestKit.Xunit2.TestKit(Config)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    private static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    private readonly ManualClock _clock = new(T0.UtcDateTime);
    private readonly GovernorFleet _fleet = new();
    private readonly Recorder _executors = new();

    [Fact]
    public async Task A_due_replace_cordons_drains_replaces_succeeds_once_the_node_has_left_and_clears_what_it_repaired()
    {
        _fleet.Set(Well("node-0"), Well("node-1"), Sick("gpu-1", "NvidiaXID79Error"));
        _clock.Advance(TimeSpan.FromMinutes(11));
        var governor = Governor();

        await Decide(governor);

        await AwaitAssertAsync(() => Assert.Equal(["cordon gpu-1", "drain gpu-1", "replace gpu-1 workers"], _executors.Calls), Soon);
        var run = await Run(governor, "gpu-1");
        Assert.Equal(("InFlight", "Replace"), (RunState(run), run.Started.Action.ToString()));
        await AwaitAssertAsync(async () => Assert.Equal(["Cordon", "Drain", "Replace"], await StepsOf(governor, "gpu-1")), Soon);
        Assert.Equal(("Start", false), ((await Latest(governor, "gpu-1")).Verdict, (await Latest(governor, "gpu-1")).DryRun));
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Decide(governor); // Still in the fleet: verification waits, and the decision says the repair runs.
        Assert.Equal("InFlight", (await Latest(governor, "gpu-1")).Verdict);

        _fleet.Set(Well("node-0"), Well("node-1")); // Its Node object is deleted.
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Decide(governor);

        await AwaitAssertAsync(async () => Assert.Equal("Succeeded", RunState(await Run(governor, "gpu-1"))), Soon);
        Assert.Contains("gpu-1 left the fleet", (await Run(governor, "gpu-1")).Ended!.Detail);
        var id = (await Run(governor, "gpu-1")).Started.RepairId;
        // Nothing to uncordon: the node is gone. Its history records that the machine was replaced.
        var started = GovernorRecords.Utc((await Run(governor, "gpu-1")).Started.RecordedAt);
        Assert.Equal(["cordon gpu-1", "drain gpu-1", "replace gpu-1 workers", $"clear gpu-1 AcceleratedHardwareReady repaired by replace {id}, raised by {started:u}"],
            _executors.Calls);
        Assert.Equal(["Cordon", "Drain", "Replace", "Verify", "ClearFaults"], await StepsOf(governor, "gpu-1"));
    }

    [Fact]
    public async Task A_due_reboot_is_asked_of_the_agent_under_the_repair_id_and_uncordons_once_the_node_is_back_on_a_new_boot()
    {
        _executors.BootId = "boot-1";
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID48Error"));
        _fleet.Boot("gpu-1", "boot-1");
        _clock.Advance(TimeSpan.FromMinutes(11));
        var governor = Governor();

        await Decide(governor);
        var id = (await Run(governor, "gpu-1")).Started.RepairId;
        await AwaitAssertAsync(() => Assert.Equal(["cordon gpu-1", "drain gpu-1", $"reboot gpu-1 {id}"], _executors.Calls), Soon);
        await AwaitAssertAsync(async () => Assert.Equal(["Cordon", "Drain", "Reboot"], await StepsOf(governor, "gpu-1")), Soon);
        Assert.Equal("boot-1", (await Run(governor, "gpu-1")).Steps[^1].ForHostBootId);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await Decide(governor); // Still False: it waits.
        Assert.Equal("InFlight", RunState(await Run(governor, "gpu-1")));

        _fleet.Set(Well("node-0"), Recovered("gpu-1", _clock.GetUtcNow()));
        _fleet.Boot("gpu-1", "boot-1");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Decide(governor); // True, but on the boot the reboot was asked on: no reboot has happened yet.
        Assert.Equal("InFlight", RunState(await Run(governor, "gpu-1")));
        Assert.Contains("still on boot boot-1", Assert.Single((await Repairs(governor)).Progress).Detail);

        _fleet.Boot("gpu-1", "boot-2");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Decide(governor);

        await AwaitAssertAsync(async () => Assert.Equal("Succeeded", RunState(await Run(governor, "gpu-1"))), Soon);
        Assert.Equal(["uncordon gpu-1", $"clear gpu-1 AcceleratedHardwareReady repaired by reboot {id}, raised by {T0.AddMinutes(11):u}"], _executors.Calls.TakeLast(2));
        Assert.Equal(["Cordon", "Drain", "Reboot", "Verify", "Uncordon", "ClearFaults"], await StepsOf(governor, "gpu-1"));
        Assert.StartsWith("gpu-1 rebooted (boot boot-1 → boot-2)", (await Run(governor, "gpu-1")).Ended!.Detail);
    }

    [Fact]
    public async Task A_node_whose_fault_clears_without_a_reboot_fails_its_reboot_repair_and_stays_cordoned()
    {
        _executors.BootId = "boot-1";
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID48Error"));
        _fleet.Boot("gpu-1", "boot-1");
        _clock.Advance(TimeSpan.FromMinutes(11));
        var governor = Governor();
        await Decide(governor);
        await AwaitAssertAsync(async () => Assert.Equal(["Cordon", "Drain", "Reboot"], await StepsOf(governor, "gpu-1")), Soon);

        _fleet.Set(Well("node-0"), Recovered("gpu-1", _clock.GetUtcNow().AddMinutes(1))); // A probe recovered it; kured has not rebooted.
        _fleet.Boot("gpu-1", "boot-1");
        _clock.Advance(TimeSpan.FromMinutes(16));
        await Decide(governor);

        var run = await Run(governor, "gpu-1");
        Assert.Equal("Failed", RunState(run));
        Assert.Contains("did not come back healthy within 15m of the reboot: still on boot boot-1", run.Ended!.Detail);
        Assert.DoesNotContain("uncordon gpu-1", _executors.Calls);
        Assert.DoesNotContain(_executors.Calls, c => c.StartsWith("clear "));
    }

    [Fact]
    public async Task A_step_answering_retry_is_tried_again_and_the_repair_goes_on()
    {
        _executors.DrainAnswers.Enqueue(StepOutcome.Retry("the API server answered 503"));
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error"));
        _clock.Advance(TimeSpan.FromMinutes(11));
        var governor = Governor();

        await Decide(governor);

        await AwaitAssertAsync(() => Assert.Equal(["cordon gpu-1", "drain gpu-1", "drain gpu-1", "replace gpu-1 workers"], _executors.Calls), Soon);
    }

    [Fact]
    public async Task A_step_that_keeps_answering_retry_fails_the_repair_after_the_give_up_time()
    {
        for (var i = 0; i < 100; i++)
            _executors.DrainAnswers.Enqueue(StepOutcome.Retry("the API server answered 503"));
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error"));
        _clock.Advance(TimeSpan.FromMinutes(11));
        var governor = Governor(giveUpAfter: TimeSpan.FromMilliseconds(300));

        await Decide(governor);

        await AwaitAssertAsync(async () => Assert.Equal("Failed", RunState(await Run(governor, "gpu-1"))), Soon);
        Assert.StartsWith("Drain failed: still answering Retry after 0s (", (await Run(governor, "gpu-1")).Ended!.Detail);
        Assert.EndsWith("attempts): the API server answered 503", (await Run(governor, "gpu-1")).Ended!.Detail);
        Assert.DoesNotContain("replace gpu-1 workers", _executors.Calls);
    }

    [Fact]
    public async Task A_failed_step_ends_the_repair_failed_and_the_node_is_not_started_again_at_once()
    {
        _executors.DrainAnswers.Enqueue(StepOutcome.Failed("node gpu-1 is gone"));
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error"));
        _clock.Advance(TimeSpan.FromMinutes(11));
        var governor = Governor();

        await Decide(governor);
        await AwaitAssertAsync(async () => Assert.Equal("Failed", RunState(await Run(governor, "gpu-1"))), Soon);
        Assert.Equal("Drain failed: node gpu-1 is gone", (await Run(governor, "gpu-1")).Ended!.Detail);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await Decide(governor);
        var next = await Latest(governor, "gpu-1");
        Assert.Equal(("Deny", "Backoff"), (next.Verdict, next.Denial)); // Escalation's backoff after a failed repair.
        Assert.Single((await Repairs(governor)).Runs);
    }

    [Fact]
    public async Task A_rebooted_node_that_does_not_recover_in_time_fails_its_repair()
    {
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID48Error"));
        _clock.Advance(TimeSpan.FromMinutes(11));
        var governor = Governor();
        await Decide(governor);
        await AwaitAssertAsync(async () => Assert.Equal(["Cordon", "Drain", "Reboot"], await StepsOf(governor, "gpu-1")), Soon);

        _clock.Advance(TimeSpan.FromMinutes(16));
        await Decide(governor);

        var run = await Run(governor, "gpu-1");
        Assert.Equal("Failed", RunState(run));
        Assert.Contains("did not come back healthy within 15m of the reboot", run.Ended!.Detail);
        Assert.DoesNotContain("uncordon gpu-1", _executors.Calls); // A node that stays sick stays cordoned.
    }

    [Fact]
    public async Task The_parallel_limit_holds_the_second_repair_of_a_pool_until_the_first_ends()
    {
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error"), Sick("gpu-2", "NvidiaXID79Error", sinceMinute: 1));
        _clock.Advance(TimeSpan.FromMinutes(12));
        var governor = Governor();

        await Decide(governor);
        await AwaitAssertAsync(() => Assert.Contains("replace gpu-1 workers", _executors.Calls), Soon);
        Assert.DoesNotContain(_executors.Calls, c => c.Contains("gpu-2"));
        Assert.Equal(("Deny", "PoolParallel"), ((await Latest(governor, "gpu-2")).Verdict, (await Latest(governor, "gpu-2")).Denial));

        _fleet.Set(Well("node-0"), Sick("gpu-2", "NvidiaXID79Error", sinceMinute: 1));
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Decide(governor); // gpu-1 verified gone: its repair ends.
        await AwaitAssertAsync(async () => Assert.Equal("Succeeded", RunState(await Run(governor, "gpu-1"))), Soon);
        await Decide(governor);

        await AwaitAssertAsync(() => Assert.Contains("replace gpu-2 workers", _executors.Calls), Soon);
    }

    [Fact]
    public async Task Dry_run_touches_nothing_even_with_executors()
    {
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error"));
        _clock.Advance(TimeSpan.FromMinutes(11));
        var governor = Governor(RepairMode.DryRun);

        await Decide(governor);

        Assert.Equal(("Start", true), ((await Latest(governor, "gpu-1")).Verdict, (await Latest(governor, "gpu-1")).DryRun));
        Assert.Empty((await Repairs(governor)).Runs);
        await Task.Delay(200);
        Assert.Empty(_executors.Calls);
    }

    [Fact]
    public async Task A_repair_in_the_middle_of_its_drain_resumes_after_a_restart_without_running_twice()
    {
        var drain = new TaskCompletionSource<StepOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _executors.DrainGate = drain;
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error"));
        _clock.Advance(TimeSpan.FromMinutes(11));
        var first = Governor();
        await Decide(first);
        await AwaitAssertAsync(() => Assert.Equal(["cordon gpu-1", "drain gpu-1"], _executors.Calls), Soon);
        var drainFrom = Assert.Single(_executors.DrainStarts);

        await first.GracefulStop(AskTimeout); // The singleton moves (a failover): the drain call is abandoned.
        await _executors.DrainCancelled.Task.WaitAsync(Soon); // The abandoned drain is cancelled.
        _executors.DrainGate = null;
        _clock.Advance(TimeSpan.FromMinutes(3));
        var second = Governor();

        await AwaitAssertAsync(() => Assert.Equal(["cordon gpu-1", "drain gpu-1", "drain gpu-1", "replace gpu-1 workers"], _executors.Calls), Soon);
        Assert.Equal([drainFrom, drainFrom], _executors.DrainStarts); // The drain keeps its first deadline.
        await Decide(second);
        Assert.Single((await Repairs(second)).Runs); // Granted once, across the restart.
        Assert.Equal(4, _executors.Calls.Count);
    }

    [Fact]
    public async Task An_operator_pause_holds_new_repairs_and_resume_lets_them_start()
    {
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error"));
        _clock.Advance(TimeSpan.FromMinutes(11));
        var governor = Governor();

        var paused = await Operate(governor, RepairGovernor.OperatorCommands.Pause, note: "network maintenance");
        Assert.Equal((true, true), (paused.Found, paused.Changed));
        Assert.False((await Operate(governor, RepairGovernor.OperatorCommands.Pause)).Changed); // Already paused.
        await Decide(governor);
        Assert.Equal(("Deny", "Paused"), ((await Latest(governor, "gpu-1")).Verdict, (await Latest(governor, "gpu-1")).Denial));
        Assert.Contains("alice", (await Latest(governor, "gpu-1")).Explanation);
        Assert.Equal("network maintenance", (await Repairs(governor)).Pause!.Note);
        Assert.Empty(_executors.Calls);

        Assert.True((await Operate(governor, RepairGovernor.OperatorCommands.Resume)).Changed);
        await Decide(governor);

        await AwaitAssertAsync(() => Assert.Contains("replace gpu-1 workers", _executors.Calls), Soon);
        Assert.Null((await Repairs(governor)).Pause);
    }

    [Fact]
    public async Task Cancelling_a_running_repair_stops_its_step_and_records_who_cancelled()
    {
        _executors.DrainGate = new TaskCompletionSource<StepOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error"));
        _clock.Advance(TimeSpan.FromMinutes(11));
        var governor = Governor();
        await Decide(governor);
        await AwaitAssertAsync(() => Assert.Equal(["cordon gpu-1", "drain gpu-1"], _executors.Calls), Soon);
        var id = (await Run(governor, "gpu-1")).Started.RepairId;
        Assert.Equal((id, "Drain running"), Assert.Single((await Repairs(governor)).Progress.Select(p => (p.RepairId, p.Detail))));

        var answer = await Operate(governor, RepairGovernor.OperatorCommands.Cancel, id, "wrong node");

        Assert.Equal((true, true), (answer.Found, answer.Changed));
        await _executors.DrainCancelled.Task.WaitAsync(Soon); // The running drain is cancelled.
        var run = await Run(governor, "gpu-1");
        Assert.Equal(("Cancelled", "alice"), (RunState(run), run.Ended!.By));
        Assert.Contains("cancelled after Cordon: wrong node", run.Ended.Detail);
        Assert.Empty((await Repairs(governor)).Progress);
        Assert.False((await Operate(governor, RepairGovernor.OperatorCommands.Cancel, id)).Changed);
        Assert.False((await Operate(governor, RepairGovernor.OperatorCommands.Cancel, "no-such-repair")).Found);
    }

    [Theory]
    [InlineData(100)] // From the events.
    [InlineData(1)] // From the snapshot.
    public async Task Repairs_and_the_pause_replay_after_a_restart(int snapshotEvery)
    {
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error"));
        _clock.Advance(TimeSpan.FromMinutes(11));
        var first = Governor(snapshotEvery: snapshotEvery);
        await Decide(first);
        await AwaitAssertAsync(async () => Assert.Equal(["Cordon", "Drain", "Replace"], await StepsOf(first, "gpu-1")), Soon);
        await Operate(first, RepairGovernor.OperatorCommands.Pause, note: "freeze");
        var before = await Repairs(first);

        await first.GracefulStop(AskTimeout);
        var second = Governor(snapshotEvery: snapshotEvery);

        var after = await Repairs(second);
        Assert.Equal(before.Runs.Single().Started, after.Runs.Single().Started);
        Assert.Equal(before.Runs.Single().Steps.Select(s => (s.Step, s.RecordedAt)), after.Runs.Single().Steps.Select(s => (s.Step, s.RecordedAt)));
        Assert.Equal(("alice", "freeze"), (after.Pause!.By, after.Pause.Note));
        Assert.Equal(3, _executors.Calls.Count); // The run waits at Verify: nothing is called again.
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1)]
    public async Task Finished_repairs_past_the_ledger_retention_are_forgotten_except_each_nodes_latest_also_after_a_restart(int snapshotEvery)
    {
        _fleet.Set(Well("node-0"), Well("node-1"), Well("node-2"));
        var governor = Governor(snapshotEvery: snapshotEvery);
        await ReplaceAndSucceed(governor, "gpu-1");
        _clock.Advance(TimeSpan.FromDays(1));
        await ReplaceAndSucceed(governor, "gpu-1"); // Its replacement joined under the same name and failed as well.
        await ReplaceAndSucceed(governor, "gpu-2");
        var runs = (await Repairs(governor)).Runs; // Newest first.
        var first = runs[^1].Started;

        _clock.Advance(GovernorRecords.Utc(first.RecordedAt) + LedgerRetention.For(RepairPolicy.Default.Escalation) - TimeSpan.FromHours(1) - _clock.GetUtcNow());
        await Decide(governor);
        Assert.Equal(3, (await Repairs(governor)).Runs.Length);
        _clock.Advance(TimeSpan.FromHours(2));
        await Decide(governor);

        string[] kept = [runs[0].Started.RepairId, runs[1].Started.RepairId];
        Assert.Equal(kept, (await Repairs(governor)).Runs.Select(r => r.Started.RepairId));
        await governor.GracefulStop(AskTimeout);
        Assert.Equal(kept, (await Repairs(Governor(snapshotEvery: snapshotEvery))).Runs.Select(r => r.Started.RepairId));
    }

    [Theory]
    [InlineData(100)] // From the events.
    [InlineData(1)] // From the snapshot.
    public async Task A_replace_held_for_approval_starts_once_an_operator_approves_and_the_approval_survives_a_restart(int snapshotEvery)
    {
        var policy = RepairPolicyLoader.Parse("approve.yaml", "approval:\n  actions: [Replace]\n", Catalog);
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error"));
        _clock.Advance(TimeSpan.FromMinutes(11));
        var first = Governor(snapshotEvery: snapshotEvery, policy: policy);
        await Decide(first);
        var held = await Latest(first, "gpu-1");
        Assert.Equal(("Deny", "AwaitingApproval"), (held.Verdict, held.Denial));
        Assert.Contains("POST /api/repairs/nodes/gpu-1/approve", held.Explanation);
        Assert.False((await Operate(first, RepairGovernor.OperatorCommands.Approve, "node-0")).Found); // Healthy: nothing to approve.

        await Operate(first, RepairGovernor.OperatorCommands.Pause, note: "until the on-call is back");
        var approved = await Operate(first, RepairGovernor.OperatorCommands.Approve, "gpu-1", "checked with the training team");
        Assert.Equal((true, true), (approved.Found, approved.Changed));
        Assert.False((await Operate(first, RepairGovernor.OperatorCommands.Approve, "gpu-1")).Changed); // Already approved.
        await Decide(first);
        Assert.Equal("Paused", (await Latest(first, "gpu-1")).Denial); // The pause still holds it.
        await first.GracefulStop(AskTimeout);

        var second = Governor(snapshotEvery: snapshotEvery, policy: policy);
        var approval = Assert.Single((await Repairs(second)).Approvals);
        Assert.Equal(("gpu-1", RepairAction.Replace, "alice", "checked with the training team"), (approval.Node, approval.Action, approval.By, approval.Note));
        Assert.Empty(_executors.Calls);
        await Operate(second, RepairGovernor.OperatorCommands.Resume);
        await Decide(second);

        await AwaitAssertAsync(() => Assert.Contains("replace gpu-1 workers", _executors.Calls), Soon);
        Assert.Contains("approved by alice", (await Latest(second, "gpu-1")).Explanation);
        Assert.Empty((await Repairs(second)).Approvals); // The start used it up.
        Assert.False((await Operate(second, RepairGovernor.OperatorCommands.Approve, "gpu-1")).Changed); // Running.
    }

    [Fact]
    public async Task Approving_a_repair_the_policy_does_not_hold_changes_nothing_and_says_so()
    {
        var policy = RepairPolicyLoader.Parse("approve.yaml", "approval:\n  actions: [Replace]\n  pools: [gpu-h100]\n", Catalog, RepairMode.On);
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error", sinceMinute: 0));
        var governor = Governor(policy: policy);
        await Decide(governor); // Not due yet: it waits.

        var answer = await Operate(governor, RepairGovernor.OperatorCommands.Approve, "gpu-1");

        Assert.Equal((true, false), (answer.Found, answer.Changed));
        Assert.Contains("needs no approval", answer.Detail);
        Assert.Empty((await Repairs(governor)).Approvals);
    }

    [Theory]
    [InlineData(100)] // From the events.
    [InlineData(1)] // From the snapshot.
    public async Task A_paused_node_is_not_repaired_until_an_operator_resumes_it_and_the_pause_survives_a_restart(int snapshotEvery)
    {
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error"));
        var first = Governor(snapshotEvery: snapshotEvery);
        var paused = await Operate(first, RepairGovernor.OperatorCommands.PauseNode, "gpu-1", "investigating a flaky NIC");
        Assert.Equal((true, true), (paused.Found, paused.Changed));
        var again = await Operate(first, RepairGovernor.OperatorCommands.PauseNode, "gpu-1");
        Assert.Equal((false, "repair of gpu-1 is already paused by alice since 2026-11-27 12:00:00Z"), (again.Changed, again.Detail));
        _clock.Advance(TimeSpan.FromMinutes(11));
        await Decide(first);
        var held = await Latest(first, "gpu-1");
        Assert.Equal(("Deny", "NodePaused"), (held.Verdict, held.Denial));
        Assert.Contains("repair of gpu-1 is paused by alice since 2026-11-27 12:00:00Z: investigating a flaky NIC", held.Explanation);
        await first.GracefulStop(AskTimeout);

        var second = Governor(snapshotEvery: snapshotEvery);
        var pause = Assert.Single((await Repairs(second)).PausedNodes);
        Assert.Equal(("gpu-1", "alice", "investigating a flaky NIC"), (pause.Node, pause.By, pause.Note));
        await Decide(second);
        Assert.Equal("NodePaused", (await Latest(second, "gpu-1")).Denial);
        Assert.Empty(_executors.Calls);

        var resumed = await Operate(second, RepairGovernor.OperatorCommands.ResumeNode, "gpu-1");
        Assert.Equal((true, true, "repair of gpu-1 resumed: the policy judges it again"), (resumed.Found, resumed.Changed, resumed.Detail));
        Assert.False((await Operate(second, RepairGovernor.OperatorCommands.ResumeNode, "gpu-1")).Changed); // Not paused any more.

        await AwaitAssertAsync(() => Assert.Contains("replace gpu-1 workers", _executors.Calls), Soon); // The resume decides at once.
        Assert.Empty((await Repairs(second)).PausedNodes);
    }

    [Fact]
    public async Task Pausing_a_node_under_repair_lets_that_repair_finish_and_holds_back_the_next()
    {
        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error"));
        _clock.Advance(TimeSpan.FromMinutes(11));
        var governor = Governor();
        await Decide(governor);
        await AwaitAssertAsync(async () => Assert.Equal(["Cordon", "Drain", "Replace"], await StepsOf(governor, "gpu-1")), Soon);
        var id = (await Run(governor, "gpu-1")).Started.RepairId;

        var paused = await Operate(governor, RepairGovernor.OperatorCommands.PauseNode, "gpu-1");

        Assert.Contains($"repair {id} of it goes on (POST /api/repairs/{id}/cancel stops it)", paused.Detail);
        await Decide(governor);
        var running = await Latest(governor, "gpu-1");
        Assert.Equal("InFlight", running.Verdict);
        Assert.Contains("this repair goes on (cancel stops it), no new one starts until resumed", running.Explanation);
        _fleet.Set(Well("node-0")); // Replaced: its Node object leaves.
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Decide(governor);
        await AwaitAssertAsync(async () => Assert.Equal("Succeeded", RunState(await Run(governor, "gpu-1"))), Soon);

        _fleet.Set(Well("node-0"), Sick("gpu-1", "NvidiaXID79Error", (int)(_clock.GetUtcNow() - T0).TotalMinutes)); // The name comes back, faulty.
        _clock.Advance(TimeSpan.FromMinutes(11));
        await Decide(governor);

        Assert.Equal("NodePaused", (await Latest(governor, "gpu-1")).Denial);
        Assert.Single((await Repairs(governor)).Runs);
    }

    /// <summary>A replace of <paramref name="node"/> from due fault to verified success (its Node object leaves the fleet).</summary>
    private async Task ReplaceAndSucceed(IActorRef governor, string node)
    {
        var others = _fleet.Nodes.Select(n => n.NodeName).Where(n => n != node).Select(Well).ToArray();
        _fleet.Set([.. others, Sick(node, "NvidiaXID79Error", (int)(_clock.GetUtcNow() - T0).TotalMinutes)]);
        _clock.Advance(TimeSpan.FromMinutes(11));
        var runs = (await Repairs(governor)).Runs.Length;
        await Decide(governor);
        await AwaitAssertAsync(async () => Assert.Equal(runs + 1, (await Repairs(governor)).Runs.Length), Soon);
        await AwaitAssertAsync(async () => Assert.Equal(["Cordon", "Drain", "Replace"], await StepsOf(governor, node)), Soon);
        _fleet.Set(others);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Decide(governor);
        await AwaitAssertAsync(async () => Assert.Equal("Succeeded", RunState(await Run(governor, node))), Soon);
        _fleet.Set([.. others, Well(node)]);
    }

    private IActorRef Governor(RepairMode mode = RepairMode.On, int snapshotEvery = 100, TimeSpan? giveUpAfter = null, RepairPolicy? policy = null)
    {
        var fleetView = Sys.ActorOf(_fleet.View());
        var executors = new RepairExecutors(_executors, _executors, _executors, _executors, _executors)
        {
            RetryFirst = TimeSpan.FromMilliseconds(50), GiveUpAfter = giveUpAfter ?? TimeSpan.FromMinutes(1),
        };
        var settings = new RepairGovernorSettings(new RepairPolicyHolder((policy ?? RepairPolicy.Default) with { Mode = mode }), () => Catalog, _clock)
        {
            Labels = _fleet, DecideEvery = TimeSpan.FromHours(1), SnapshotEvery = snapshotEvery, DecideOnStart = false, Executors = executors,
        };
        return Sys.ActorOf(Props.Create(() => new RepairGovernor(settings, fleetView)));
    }

    private static async Task Decide(IActorRef governor) => await governor.Ask<RepairGovernor.RoundDecided>(RepairGovernor.DecideNow.Instance, AskTimeout);

    private static Task<RepairList> Repairs(IActorRef governor, string node = "") => governor.Ask<RepairList>(new GetRepairs(node), AskTimeout);

    private static async Task<RepairDecisionRecorded> Latest(IActorRef governor, string node) => Assert.Single((await Repairs(governor, node)).Decisions);

    private static async Task<RepairRunState> Run(IActorRef governor, string node) => (await Repairs(governor, node)).Runs.First();

    private static async Task<string[]> StepsOf(IActorRef governor, string node) => [.. (await Run(governor, node)).Steps.Select(s => s.Step)];

    private static string RunState(RepairRunState run) => run.Ended?.Outcome ?? "InFlight";

    private static Task<RepairCommandAnswer> Operate(IActorRef governor, string kind, string target = "", string note = "") =>
        governor.Ask<RepairCommandAnswer>(new RepairOperatorCommand(kind, "alice", target, note), AskTimeout);

    private static ConditionState Gpu(string reason, int sinceMinute) =>
        new(ConditionType.AcceleratedHardwareReady, ConditionStatus.False, reason, reason, At(sinceMinute).UtcDateTime,
            [new ActiveFault(reason, reason, At(sinceMinute).UtcDateTime, At(sinceMinute).UtcDateTime, 1)]);

    private static ConditionState Healthy(DateTimeOffset since) =>
        new(ConditionType.AcceleratedHardwareReady, ConditionStatus.True, "AcceleratedHardwareIsReady", "", since.UtcDateTime, []);

    private static (string, string, string, ConditionState[]) Sick(string name, string reason, int sinceMinute = 0) => (name, "workers", "eu-west-1a", [Gpu(reason, sinceMinute)]);

    private static (string, string, string, ConditionState[]) Well(string name) => (name, "workers", "eu-west-1a", [Healthy(T0.AddDays(-1))]);

    private static (string, string, string, ConditionState[]) Recovered(string name, DateTimeOffset since) => (name, "workers", "eu-west-1a", [Healthy(since)]);



    /// <summary>Records every call in order; drain answers come from a queue (Done when empty) or wait on a gate.</summary>
    private sealed class Recorder : INodeCordon, INodeDrain, INodeReplacer, INodeRebooter, INodeFaultClearer
    {
        private readonly ConcurrentQueue<string> _calls = new();

        public ConcurrentQueue<StepOutcome> DrainAnswers { get; } = new();
        public TaskCompletionSource<StepOutcome>? DrainGate { get; set; }
        public TaskCompletionSource DrainCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public ConcurrentQueue<DateTimeOffset> DrainStarts { get; } = new();

        public IReadOnlyList<string> Calls => [.. _calls];

        public Task<StepOutcome> CordonAsync(string node, CancellationToken cancellation) => Done($"cordon {node}");

        public Task<StepOutcome> UncordonAsync(string node, CancellationToken cancellation) => Done($"uncordon {node}");

        public async Task<StepOutcome> DrainAsync(string node, DrainSettings settings, DateTimeOffset startedAt, CancellationToken cancellation)
        {
            _calls.Enqueue($"drain {node}");
            DrainStarts.Enqueue(startedAt);
            if (DrainGate is { } gate)
            {
                try
                {
                    return await gate.Task.WaitAsync(cancellation);
                }
                catch (OperationCanceledException)
                {
                    DrainCancelled.TrySetResult();
                    throw;
                }
            }

            return DrainAnswers.TryDequeue(out var answer) ? answer : StepOutcome.Done("drained");
        }

        public Task<StepOutcome> ReplaceAsync(string node, string pool, CancellationToken cancellation) => Done($"replace {node} {pool}");

        /// <summary>The boot the node is on when a reboot is asked (empty: unknown, as before boot ids were recorded).</summary>
        public string BootId { get; set; } = "";

        public async Task<StepOutcome> RebootAsync(string node, string repairId, CancellationToken cancellation) =>
            await Done($"reboot {node} {repairId}") with { ForHostBootId = BootId };

        public Task<StepOutcome> ClearRepairedAsync(string node, string condition, DateTimeOffset repairStarted, string cause, CancellationToken cancellation) =>
            Done($"clear {node} {condition} {cause}, raised by {repairStarted:u}");

        private Task<StepOutcome> Done(string call)
        {
            _calls.Enqueue(call);
            return Task.FromResult(StepOutcome.Done(call));
        }
    }
}

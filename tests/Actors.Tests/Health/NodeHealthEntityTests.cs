using Akka.Actor;
using Akka.Configuration;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Tests.Health;

/// <summary>The entity's timers — agent lease, quiet recovery — under the TestKit, on an in-memory journal.</summary>
public sealed class NodeHealthEntityTests() : Akka.TestKit.Xunit2.TestKit(Config)
{
    private const string Node = "node-a";
    private static readonly DateTime T0 = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
    private static readonly MonitorStatus KernelActive = new(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "watching");
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);

    private static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    private IActorRef Entity(TimeProvider clock, TimeSpan lease) =>
        Sys.ActorOf(Props.Create(() => new NodeHealthEntity(Node, new NodeHealthSettings(TestReasons.Catalog, clock) { AgentLease = lease })));

    private static Finding Fatal(long sequence, string reason) =>
        new(Node, ConditionType.KernelReady, reason, Severity.Fatal, reason, T0, "kmsg", null, "run-1", sequence);

    private static async Task Report(IActorRef entity, params Finding[] findings)
    {
        await entity.Ask<MonitorsAck>(new ReportMonitors(Node, [KernelActive]), AskTimeout);
        if (findings.Length > 0)
            await entity.Ask<BatchAck>(new RecordFindings(Node, "run-1", [.. findings]), AskTimeout);
    }

    private static Task<NodeHealthState> State(IActorRef entity) => entity.Ask<NodeHealthState>(new GetNodeHealth(Node), AskTimeout);

    private static ConditionState Kernel(NodeHealthState state) => state.Conditions.Single(c => c.Type == ConditionType.KernelReady);

    [Fact]
    public async Task A_silent_node_with_a_quiet_fault_past_its_deadline_does_not_spin_its_timer()
    {
        var clock = new ManualClock(T0);
        var entity = Entity(clock, TimeSpan.FromMilliseconds(300));
        await Report(entity, Fatal(1, "LinkFlapping"));

        clock.Advance(TimeSpan.FromHours(1)); // Past the quiet deadline and the lease: the lease timer records the silence.
        await AwaitAssertAsync(async () => Assert.NotNull((await State(entity)).AgentSilence), TimeSpan.FromSeconds(5));

        var before = clock.Reads;
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.InRange(clock.Reads - before, 0, 5);
        Assert.Equal(ConditionStatus.False, Kernel(await State(entity)).Status); // Nobody watched: the fault stays.
    }

    [Fact]
    public async Task Heartbeats_keep_the_lease_and_silence_past_it_turns_the_node_unknown_until_the_agent_reports()
    {
        // Real timers: the lease is long against the renewals (4 per lease), so a loaded CI machine delaying one never expires it.
        var lease = TimeSpan.FromSeconds(2);
        var entity = Entity(TimeProvider.System, lease);
        await Report(entity);

        for (var i = 0; i < 10; i++)
        {
            entity.Tell(new RenewAgentLease(Node));
            await Task.Delay(lease / 4);
        }

        var alive = await State(entity);
        Assert.Null(alive.AgentSilence);
        Assert.Equal(ConditionStatus.True, Kernel(alive).Status);

        await AwaitAssertAsync(async () =>
        {
            var silent = await State(entity);
            Assert.Equal((ConditionStatus.Unknown, NodeHealthMachine.AgentNotReportingReason), (Kernel(silent).Status, Kernel(silent).Reason));
        }, TimeSpan.FromSeconds(10));

        await entity.Ask<BatchAck>(new RecordFindings(Node, "run-1", [Fatal(1, "SoftLockup") with { Severity = Severity.Warning }]), AskTimeout);
        var back = await State(entity);
        Assert.Null(back.AgentSilence);
        Assert.Equal((ConditionStatus.True, "KernelIsReady"), (Kernel(back).Status, Kernel(back).Reason));
    }

    [Fact]
    public async Task A_quiet_fault_clears_on_its_own_timer_after_its_quiet_period()
    {
        var entity = Entity(TimeProvider.System, TimeSpan.FromMinutes(1));
        await Report(entity, Fatal(1, "LinkBlip") with { ObservedAt = DateTime.UtcNow });
        Assert.Equal(ConditionStatus.False, Kernel(await State(entity)).Status);

        await AwaitAssertAsync(async () =>
        {
            var state = await State(entity);
            Assert.Equal(ConditionStatus.True, Kernel(state).Status);
            Assert.StartsWith("LinkBlip cleared: no recurrence for 00:00:01", state.RecentEvents[^1].Message);
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_repairs_clear_is_recorded_once_and_asking_again_records_nothing()
    {
        var clock = new ManualClock(T0);
        var entity = Entity(clock, TimeSpan.FromHours(1));
        await Report(entity, Fatal(1, "DiskDead"), Fatal(2, "KernelPanic"));
        clock.Advance(TimeSpan.FromMinutes(30));
        var clear = new ClearFault(Node, ConditionType.KernelReady, "", "", "repaired by replace node-a-20261125T123000Z", T0.AddMinutes(10));

        var cleared = await entity.Ask<NodeHealthState>(clear, AskTimeout);
        clock.Advance(TimeSpan.FromMinutes(1));
        var again = await entity.Ask<object>(clear, AskTimeout); // The step resumed after a failover asks again.

        Assert.Equal((ConditionStatus.True, T0.AddMinutes(30)), (Kernel(cleared).Status, Kernel(cleared).LastTransitionTime));
        Assert.Equal(["DiskDead cleared: repaired by replace node-a-20261125T123000Z", "KernelPanic cleared: repaired by replace node-a-20261125T123000Z"],
            cleared.RecentEvents.TakeLast(2).Select(e => e.Message).Order());
        Assert.IsType<FaultNotActive>(again);
        var after = await State(entity);
        Assert.Equal(cleared.RecentEvents, after.RecentEvents); // Nothing recorded twice.
        Assert.Equal(T0.AddMinutes(30), Kernel(after).LastTransitionTime);
    }
}

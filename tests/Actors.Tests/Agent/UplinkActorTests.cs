using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Agent;

public sealed class UplinkActorTests : TestKit, IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "uplink-" + Guid.NewGuid().ToString("N"));
    private readonly FakeUplinkTransport _coordinator = new();

    private IActorRef StartUplink(TimeSpan? heartbeat = null) => Sys.ActorOf(Props.Create(() => new UplinkActor(
        new UplinkSettings("node-a", "test", _state)
        {
            MinBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(200),
            HeartbeatInterval = heartbeat ?? UplinkSettings.DefaultHeartbeatInterval,
        },
        _coordinator, TimeProvider.System)));

    private static PublishFindings Publish(int line, string message) => new(
        [new FindingDraft(ConditionType.KernelReady, "SoftLockup", Severity.Warning, message, DateTime.UtcNow, "kmsg")], "kmsg", $"boot:{line}");

    private IEnumerable<Finding> Delivered => _coordinator.Received.Where(m => m.Batch is not null).SelectMany(m => m.Batch!.Findings);

    [Fact]
    public async Task Findings_are_stamped_sent_and_forgotten_once_acknowledged()
    {
        _coordinator.Up();
        var uplink = StartUplink();

        uplink.Tell(Publish(1, "first"));
        uplink.Tell(Publish(2, "second"));

        await AwaitAssertAsync(() => Assert.Equal(["first", "second"], Delivered.Select(f => f.Message)));
        Assert.Equal([1L, 2L], Delivered.Select(f => f.Sequence));
        Assert.All(Delivered, f => Assert.Equal("node-a", f.NodeName));
        await AwaitAssertAsync(async () => Assert.Equal(0, (await uplink.Ask<UplinkStatus>(GetUplinkStatus.Instance)).Pending));
    }

    [Fact]
    public async Task Heartbeats_go_up_while_connected_and_stop_while_the_coordinator_is_down()
    {
        _coordinator.Up();
        StartUplink(heartbeat: TimeSpan.FromMilliseconds(100));
        await AwaitAssertAsync(() => Assert.True(Heartbeats >= 3), TimeSpan.FromSeconds(5));

        _coordinator.Down();
        await Task.Delay(300); // A heartbeat already queued may still be counted.
        var whileDown = Heartbeats;
        await Task.Delay(500);
        Assert.Equal(whileDown, Heartbeats);

        _coordinator.Up();
        await AwaitAssertAsync(() => Assert.True(Heartbeats >= whileDown + 3), TimeSpan.FromSeconds(5));
    }

    private int Heartbeats => _coordinator.Received.Count(m => m.Heartbeat is not null);

    [Fact]
    public async Task Findings_published_while_the_coordinator_is_down_are_sent_after_it_returns()
    {
        var uplink = StartUplink();
        uplink.Tell(Publish(1, "while down"));
        await Task.Delay(300);
        Assert.Empty(Delivered);

        _coordinator.Up();

        await AwaitAssertAsync(() => Assert.Equal(["while down"], Delivered.Select(f => f.Message)), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Unacknowledged_findings_are_resent_after_a_reconnect()
    {
        _coordinator.Up();
        _coordinator.AutoAcknowledge = false;
        var uplink = StartUplink();
        uplink.Tell(Publish(1, "unacked"));
        await AwaitAssertAsync(() => Assert.Single(Delivered));

        _coordinator.Down();
        await Task.Delay(100);
        _coordinator.AutoAcknowledge = true;
        _coordinator.Up();

        await AwaitAssertAsync(() => Assert.Equal(2, Delivered.Count(f => f.Message == "unacked")), TimeSpan.FromSeconds(5));
        Assert.Single(Delivered.Select(f => (f.AgentBootId, f.Sequence)).Distinct()); // The same finding, for the coordinator to deduplicate.
        await AwaitAssertAsync(async () => Assert.Equal(0, (await uplink.Ask<UplinkStatus>(GetUplinkStatus.Instance)).Pending));
    }

    [Fact]
    public async Task A_new_agent_run_resends_what_the_previous_run_spooled()
    {
        var first = StartUplink();
        first.Tell(Publish(7, "spooled"));
        await AwaitAssertAsync(async () => Assert.Equal(1, (await first.Ask<UplinkStatus>(GetUplinkStatus.Instance)).Pending));
        await first.GracefulStop(TimeSpan.FromSeconds(3));

        _coordinator.Up();
        var second = StartUplink();

        await AwaitAssertAsync(() => Assert.Equal(["spooled"], Delivered.Select(f => f.Message)), TimeSpan.FromSeconds(5));
        Assert.Equal("boot:7", (await second.Ask<CursorResult>(new GetCursor("kmsg"))).Cursor);
    }

    [Fact]
    public async Task Monitor_status_reaches_the_coordinator_even_when_reported_during_connect()
    {
        var uplink = StartUplink();
        var status = new MonitorStatus(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "watching");
        uplink.Tell(new ReportMonitorStatus(status));
        _coordinator.Up();

        await AwaitAssertAsync(() => Assert.Contains(_coordinator.Received,
            m => m.Status?.Monitors.Contains(status) == true || m.Hello?.Monitors.Contains(status) == true), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Coordinator_hears_the_worst_component_of_a_condition_and_its_recovery()
    {
        _coordinator.Up();
        var uplink = StartUplink();
        var logs = new MonitorStatus(ConditionType.NetworkingReady, MonitorState.Active, "NetworkingIsReady", "reading kmsg");
        var probeFailed = new MonitorStatus(ConditionType.NetworkingReady, MonitorState.Failed, "MonitorFailed", "cannot read /sys/class/net");
        var probeActive = probeFailed with { State = MonitorState.Active, Reason = "NetworkingIsReady", Detail = "polling" };

        uplink.Tell(new ReportMonitorStatus(logs) { Component = "kmsg" });
        uplink.Tell(new ReportMonitorStatus(probeFailed) { Component = "probe-interfaces" });
        await AwaitAssertAsync(() => Assert.Equal(probeFailed, LastNetworkingStatus), TimeSpan.FromSeconds(5));

        uplink.Tell(new ReportMonitorStatus(probeActive) { Component = "probe-interfaces" });
        await AwaitAssertAsync(() => Assert.Equal(logs, LastNetworkingStatus), TimeSpan.FromSeconds(5));
    }

    private MonitorStatus? LastNetworkingStatus => _coordinator.Received
        .Select(m => m.Status?.Monitors ?? m.Hello?.Monitors)
        .LastOrDefault(m => m is { } monitors && monitors.Any(s => s.Condition == ConditionType.NetworkingReady))?
        .Single(s => s.Condition == ConditionType.NetworkingReady);

    [Fact]
    public async Task Probe_recoveries_go_up_after_the_findings_of_their_publish_with_the_next_sequence_numbers()
    {
        _coordinator.Up();
        var uplink = StartUplink();
        var at = DateTime.UtcNow;
        var publish = new PublishFindings(
            [new FindingDraft(ConditionType.NetworkingReady, "NetworkSysctl", Severity.Warning, "ip_forward is 0", at, "probe-sysctl")], "probe-sysctl", "r:1")
        {
            Recoveries = [new RecoveryDraft(ConditionType.NetworkingReady, "InterfaceNotUp", "eth0", "interfaces", "eth0 passed again", at)],
        };

        uplink.Tell(publish);

        ExpectMsg<FindingsSpooled>();
        await AwaitAssertAsync(() => Assert.Single(_coordinator.Received, m => m.Batch?.Recoveries.IsDefaultOrEmpty == false), TimeSpan.FromSeconds(5));
        var batch = _coordinator.Received.Single(m => m.Batch?.Recoveries.IsDefaultOrEmpty == false).Batch!;
        var recovery = Assert.Single(batch.Recoveries);
        Assert.Equal(("node-a", "InterfaceNotUp", "eth0", "interfaces", "eth0 passed again", 2L),
            (recovery.NodeName, recovery.Reason, recovery.Entity, recovery.Probe, recovery.Detail, recovery.Sequence));
        Assert.Equal(1L, Assert.Single(batch.Findings).Sequence);
        Assert.Equal(batch.Findings[0].AgentBootId, recovery.AgentBootId);
        await AwaitAssertAsync(async () => Assert.Equal(0, (await uplink.Ask<UplinkStatus>(GetUplinkStatus.Instance)).Pending));
    }

    private static PublishFindings Publish(int line, params string[] messages) => new(
        [.. messages.Select(m => new FindingDraft(ConditionType.KernelReady, m == "invalid" ? "not a reason" : "SoftLockup", Severity.Warning, m, DateTime.UtcNow, "kmsg"))],
        "kmsg", $"boot:{line}");

    private string[] Quarantined => File.Exists(Path.Combine(_state, FindingQuarantine.FileName))
        ? File.ReadAllLines(Path.Combine(_state, FindingQuarantine.FileName))
        : [];

    [Fact]
    public async Task Publisher_hears_when_its_findings_are_spooled()
    {
        var uplink = StartUplink();

        uplink.Tell(Publish(3, "spooled"), TestActor);

        Assert.Equal(new FindingsSpooled("kmsg", "boot:3"), await ExpectMsgAsync<FindingsSpooled>());
    }

    [Fact]
    public async Task A_publish_repeated_after_a_lost_confirmation_is_not_spooled_twice()
    {
        _coordinator.Up();
        var uplink = StartUplink();
        uplink.Tell(Publish(4, "once"), TestActor);
        await ExpectMsgAsync<FindingsSpooled>();

        uplink.Tell(Publish(4, "once"), TestActor);

        await ExpectMsgAsync<FindingsSpooled>();
        await AwaitAssertAsync(async () => Assert.Equal(0, (await uplink.Ask<UplinkStatus>(GetUplinkStatus.Instance)).Pending));
        Assert.Single(Delivered);
    }

    [Fact]
    public async Task Invalid_finding_is_quarantined_and_the_others_are_delivered()
    {
        _coordinator.Up();
        var uplink = StartUplink();

        uplink.Tell(Publish(1, "before", "invalid", "after"));

        await AwaitAssertAsync(() => Assert.Equal(["before", "after"], Delivered.Select(f => f.Message)));
        var status = await uplink.Ask<UplinkStatus>(GetUplinkStatus.Instance);
        Assert.Equal((1L, 0), (status.Quarantined, status.Pending));
        var line = Assert.Single(Quarantined);
        Assert.Contains("\"Message\":\"invalid\"", line);
        Assert.Contains("reason must be", line);
    }

    [Fact]
    public async Task Finding_the_coordinator_rejects_is_quarantined_instead_of_resent_forever()
    {
        _coordinator.Rejects = f => f.Message == "poison" ? "finding 1: a rule this agent does not know" : null;
        _coordinator.Up();
        var uplink = StartUplink();

        uplink.Tell(Publish(1, "before", "poison", "after"));

        await AwaitAssertAsync(() => Assert.Contains("after", Delivered.Select(f => f.Message).Skip(3)), TimeSpan.FromSeconds(5));
        await AwaitAssertAsync(async () => Assert.Equal(0, (await uplink.Ask<UplinkStatus>(GetUplinkStatus.Instance)).Pending));
        Assert.Contains("a rule this agent does not know", Assert.Single(Quarantined));
        Assert.Equal(1, Delivered.Count(f => f.Message == "poison"));
        Assert.Equal(2, _coordinator.Connections);
        Assert.Equal(1L, (await uplink.Ask<UplinkStatus>(GetUplinkStatus.Instance)).Quarantined);
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        if (Directory.Exists(_state))
            Directory.Delete(_state, recursive: true);
    }
}

using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Agent.Probes;

public sealed class ProbeMonitorTests : TestKit
{
    private static readonly ReasonCatalog Catalog = CatalogLoader.Parse("probe-reasons.yaml", """
        conditions:
          - type: NetworkingReady
            readyReason: NetworkingIsReady
            readyMessage: Monitoring for networking is active
            reasons:
              - { reason: InterfaceNotUp, severity: Fatal, source: probe-links, recovery: probe }
        """);

    private readonly ScriptedProbe _probe = new("links", TimeSpan.FromMilliseconds(100));
    private readonly Akka.TestKit.TestProbe _uplink;

    public ProbeMonitorTests() => _uplink = CreateTestProbe();

    private IActorRef Start(params IProbe[] probes) => Sys.ActorOf(Props.Create(() => new ProbeMonitor(
        probes.Length == 0 ? new IProbe[] { _probe } : probes, Catalog, _uplink.Ref, TimeProvider.System,
        new ProbeMonitorSettings { ResendAfter = TimeSpan.FromMilliseconds(300) })));

    private static readonly ProbeFailure Eth0Down = new("InterfaceNotUp", "eth0", "interface eth0 (52:54:00:12:34:56) is not up");

    private ReportMonitorStatus NextStatus() => _uplink.FishForMessage<ReportMonitorStatus>(_ => true, TimeSpan.FromSeconds(3));

    private PublishFindings NextPublish() => _uplink.FishForMessage<PublishFindings>(_ => true, TimeSpan.FromSeconds(3));

    [Fact]
    public void A_probe_reports_starting_then_active_under_its_own_component()
    {
        Start();

        var starting = NextStatus();
        var active = NextStatus();

        Assert.Equal(("probe-links", MonitorState.Starting), (starting.Component, starting.Status.State));
        Assert.Equal(("probe-links", MonitorState.Active, "NetworkingIsReady"), (active.Component, active.Status.State, active.Status.Reason));
    }

    [Fact]
    public void A_failing_check_is_published_once_and_its_passing_again_is_published_as_a_recovery()
    {
        Start();
        var atStart = NextPublish(); // The first poll recovers what passes, in case a fault outlived an agent restart.
        Assert.Equal(["InterfaceNotUp"], atStart.Recoveries.Select(r => r.Reason));
        _uplink.Reply(new FindingsSpooled(atStart.Source, atStart.Cursor));

        _probe.Failing(Eth0Down);
        var raised = NextPublish();
        _uplink.Reply(new FindingsSpooled(raised.Source, raised.Cursor));
        var finding = Assert.Single(raised.Findings);
        Assert.Equal(("probe-links", "InterfaceNotUp", Severity.Fatal, "eth0", RecoveryMode.Probe), (raised.Source, finding.Reason, finding.Severity, finding.Entity, finding.Recovery));
        Assert.Equal(Eth0Down.Message, finding.Message);
        _uplink.ExpectNoMsg(TimeSpan.FromMilliseconds(400)); // Still failing: nothing new to say.

        _probe.Failing();
        var recovered = NextPublish();

        Assert.Empty(recovered.Findings);
        var recovery = Assert.Single(recovered.Recoveries);
        Assert.Equal(("InterfaceNotUp", "eth0", "links", "eth0 passed again"), (recovery.Reason, recovery.Entity, recovery.Probe, recovery.Detail));
        Assert.NotEqual(raised.Cursor, recovered.Cursor);
    }

    [Fact]
    public void An_unconfirmed_publish_is_resent_and_the_probe_waits_for_it()
    {
        _probe.Failing(Eth0Down);
        Start();

        var first = NextPublish();
        var again = NextPublish();

        Assert.Equal(first, again);
        var pollsWhileWaiting = _probe.Polls.Count;
        _uplink.Reply(new FindingsSpooled(again.Source, again.Cursor));
        Thread.Sleep(500);
        Assert.True(pollsWhileWaiting <= 2, $"polled {pollsWhileWaiting} times while its publish was unconfirmed");
        Assert.True(_probe.Polls.Count > pollsWhileWaiting, "polling resumes once the publish is spooled");
    }

    [Fact]
    public void An_unreadable_probe_reports_failed_with_its_cause_and_an_absent_one_inactive()
    {
        _probe.Unreadable("Cannot read /host/sys/class/net: Permission denied");
        Start();

        Assert.Equal(MonitorState.Starting, NextStatus().Status.State);
        var failed = NextStatus().Status;
        Assert.Equal((MonitorState.Failed, ProbeMonitor.UnavailableReason, "Probe links: Cannot read /host/sys/class/net: Permission denied"),
            (failed.State, failed.Reason, failed.Detail));

        _probe.Absent("nf_conntrack is not loaded");
        var inactive = NextStatus().Status;
        Assert.Equal((MonitorState.Inactive, ProbeMonitor.AbsentReason), (inactive.State, inactive.Reason));
    }

    [Fact]
    public void A_probe_without_catalog_reasons_does_not_poll_and_says_so()
    {
        var unknown = new ScriptedProbe("nothing-here", TimeSpan.FromMilliseconds(50));
        Start(unknown);

        var status = NextStatus();

        Assert.Equal(("probe-nothing-here", MonitorState.Inactive, ProbeMonitor.NoRulesReason), (status.Component, status.Status.State, status.Status.Reason));
        Thread.Sleep(200);
        Assert.Empty(unknown.Polls);
    }
}

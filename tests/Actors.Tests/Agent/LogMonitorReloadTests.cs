using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Detection.Reload;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Agent;

/// <summary>A running log monitor takes the catalog watcher's news: new rules from the next line, a refused edit in its status.</summary>
public sealed class LogMonitorReloadTests : TestKit
{
    private readonly ScriptedKernelLog _log = new();
    private readonly Akka.TestKit.TestProbe _uplink;

    public LogMonitorReloadTests() => _uplink = CreateTestProbe();

    private static readonly ReasonCatalog WithOperatorRule = CatalogLoader.Parse("ops.yaml", """
        conditions:
          - type: KernelReady
            reasons:
              - { reason: OperatorLine, severity: Warning, source: kmsg, match: 'operator line (?<what>\w+)', message: '{what}' }
        """);

    private void StartMonitor(CatalogHolder? catalogs = null)
    {
        Sys.ActorOf(Props.Create(() => new LogMonitor(_log, CatalogLoader.LoadBuiltIn(), _uplink.Ref, TimeProvider.System,
            new LogMonitorSettings { CheckpointEvery = TimeSpan.FromMilliseconds(100), ReadWait = TimeSpan.FromMilliseconds(50), Catalogs = catalogs })));
        _uplink.FishForMessage<GetCursor>(_ => true);
        _uplink.Reply(new CursorResult("kmsg", "10"));
        Assert.Equal(MonitorState.Active, Status().State);
    }

    private MonitorStatus Status() => _uplink.FishForMessage<ReportMonitorStatus>(r => r.Status.Condition == ConditionType.KernelReady).Status;

    private PublishFindings NextPublish() => _uplink.FishForMessage<PublishFindings>(_ => true);

    [Fact]
    public void Rule_of_a_reloaded_catalog_matches_from_the_next_line()
    {
        StartMonitor();
        _log.Records.Add(new ScriptedLine(11, "operator line before"));
        _log.Records.Add(new ScriptedLine(12, "watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [a:1]"));
        var before = NextPublish();
        Assert.Equal("SoftLockup", Assert.Single(before.Findings).Reason); // The line before the reload matched nothing.

        Sys.EventStream.Publish(new CatalogChanged(WithOperatorRule));
        _uplink.Reply(new FindingsSpooled("kmsg", before.Cursor)); // The reload waits for the publish in flight.
        Assert.Equal(MonitorState.Active, Status().State); // Reported again once the new rules are in.
        _log.Records.Add(new ScriptedLine(13, "operator line after"));

        var draft = Assert.Single(NextPublish().Findings);
        Assert.Equal(("OperatorLine", "after"), (draft.Reason, draft.Message));
    }

    [Fact]
    public void Refused_edit_shows_in_the_status_detail_with_the_ready_reason_until_a_good_catalog_loads()
    {
        StartMonitor();

        Sys.EventStream.Publish(new CatalogRejected("/etc/nh/ops.yaml (line 4): unclosed group"));
        var refused = Status();
        Sys.EventStream.Publish(new CatalogChanged(WithOperatorRule));
        var fixedStatus = Status();

        Assert.Equal((MonitorState.Active, "KernelIsReady"), (refused.State, refused.Reason));
        Assert.EndsWith("Catalog edit refused, the last good rules keep running: /etc/nh/ops.yaml (line 4): unclosed group", refused.Detail);
        Assert.DoesNotContain("refused", fixedStatus.Detail);
    }

    [Fact]
    public void Restarted_monitor_starts_from_the_catalog_in_force_and_its_refused_edit()
    {
        var catalogs = new CatalogHolder(WithOperatorRule, "v2");
        catalogs.Reject("/etc/nh/ops.yaml (line 9): bad", "v3");

        StartMonitor(catalogs);
        _log.Records.Add(new ScriptedLine(11, "operator line restarted"));

        Assert.Equal("restarted", Assert.Single(NextPublish().Findings).Message);
    }
}

using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Agent.Kernel;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Agent;

public sealed class KernelMonitorTests : TestKit
{
    private readonly ScriptedKernelLog _log = new();
    private readonly Akka.TestKit.TestProbe _uplink;

    public KernelMonitorTests() => _uplink = CreateTestProbe();

    private static readonly TimeSpan ResendAfter = TimeSpan.FromMilliseconds(300);

    /// <summary>How long a test waits for a resend: far past ResendAfter, because a loaded 2-core CI machine delays timers (0.9 s was once too short).</summary>
    private static readonly TimeSpan ResendWait = TimeSpan.FromSeconds(5);

    private IActorRef CreateMonitor(int readsAhead = 4) => Sys.ActorOf(Props.Create(() => new KernelMonitor(_log, CatalogLoader.LoadBuiltIn(), _uplink.Ref, TimeProvider.System,
        new KernelMonitorSettings
        {
            RetryOpenAfter = TimeSpan.FromMilliseconds(200),
            CheckpointEvery = TimeSpan.FromMilliseconds(100),
            ReadWait = TimeSpan.FromMilliseconds(50),
            ResendAfter = ResendAfter,
            ReadsAhead = readsAhead,
        })));

    private IActorRef StartMonitor(string? savedCursor, int readsAhead = 4)
    {
        var monitor = CreateMonitor(readsAhead);
        Assert.Equal(MonitorState.Starting, _uplink.ExpectMsg<ReportMonitorStatus>().Status.State);
        _uplink.ExpectMsg<GetCursor>();
        _uplink.Reply(new CursorResult("kmsg", savedCursor));
        return monitor;
    }

    private PublishFindings NextPublish(TimeSpan? within = null) => _uplink.FishForMessage<PublishFindings>(_ => true, within);

    [Fact]
    public void Soft_lockup_line_becomes_a_finding_with_the_cursor_of_its_line()
    {
        StartMonitor(savedCursor: "41");
        Assert.Equal(MonitorState.Active, _uplink.ExpectMsg<ReportMonitorStatus>().Status.State);
        Assert.Equal("41", _log.OpenedAfter);

        _log.Records.Add(new ScriptedLine(42, "watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [stress:1234]"));

        var publish = _uplink.FishForMessage<PublishFindings>(_ => true);
        var draft = Assert.Single(publish.Findings);
        Assert.Equal(("SoftLockup", Severity.Warning, ConditionType.KernelReady), (draft.Reason, draft.Severity, draft.Condition));
        Assert.Equal("42", publish.Cursor);
    }

    [Fact]
    public void Finding_is_dated_by_the_log_record_not_by_when_it_was_read()
    {
        var loggedAt = DateTime.UtcNow.AddMinutes(-30);
        StartMonitor(savedCursor: null);
        _uplink.ExpectMsg<ReportMonitorStatus>();

        _log.Records.Add(new ScriptedLine(1, "watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [old:1]", loggedAt));
        Assert.Equal(loggedAt, Assert.Single(NextPublish().Findings).ObservedAt);
        _uplink.Reply(new FindingsSpooled("kmsg", "1"));

        _log.Records.Add(new ScriptedLine(2, "watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [undated:2]"));
        var undated = Assert.Single(_uplink.FishForMessage<PublishFindings>(_ => true).Findings).ObservedAt;
        Assert.InRange(undated, DateTime.UtcNow.AddSeconds(-5), DateTime.UtcNow); // A source that cannot date it: when it was read.
    }

    [Fact]
    public void Lines_that_match_nothing_only_move_the_cursor()
    {
        StartMonitor(savedCursor: null);
        _uplink.ExpectMsg<ReportMonitorStatus>();

        _log.Records.Add(new ScriptedLine(7, "EXT4-fs (vda1): mounted filesystem"));

        var save = _uplink.FishForMessage<SaveCursor>(_ => true);
        Assert.Equal(("kmsg", "7"), (save.Source, save.Cursor));
    }

    [Fact]
    public void Unreadable_log_is_reported_as_failed_with_the_reason_and_retried()
    {
        _log.Unreadable = true;
        StartMonitor(savedCursor: null);

        var status = _uplink.ExpectMsg<ReportMonitorStatus>().Status;
        Assert.Equal((ConditionType.KernelReady, MonitorState.Failed, KernelMonitor.UnreadableReason), (status.Condition, status.State, status.Reason));
        Assert.Contains("Permission denied", status.Detail);

        _log.Unreadable = false;
        var recovered = _uplink.FishForMessage<ReportMonitorStatus>(_ => true, TimeSpan.FromSeconds(3)).Status;
        Assert.Equal(MonitorState.Active, recovered.State);
        Assert.True(_log.Opens >= 2);
    }

    [Fact]
    public void Monitor_reports_Starting_before_it_has_looked_at_the_log()
    {
        CreateMonitor();

        var first = _uplink.ExpectMsg<ReportMonitorStatus>().Status;
        Assert.Equal((ConditionType.KernelReady, MonitorState.Starting), (first.Condition, first.State));
        _uplink.ExpectMsg<GetCursor>();
        Assert.Equal(0, _log.Opens); // Not looked yet: the cursor decides where.
    }

    [Fact]
    public void Cursor_request_the_uplink_missed_is_asked_again()
    {
        CreateMonitor();
        _uplink.ExpectMsg<ReportMonitorStatus>();
        _uplink.ExpectMsg<GetCursor>(); // Lost: the uplink was restarting.

        _uplink.ExpectMsg<GetCursor>(ResendWait);
        _uplink.Reply(new CursorResult("kmsg", "41"));

        Assert.Equal(MonitorState.Active, _uplink.FishForMessage<ReportMonitorStatus>(_ => true).Status.State);
        Assert.Equal("41", _log.OpenedAfter);
    }

    [Fact]
    public void Findings_the_uplink_did_not_confirm_are_sent_again_unchanged()
    {
        StartMonitor(savedCursor: null);
        _log.Records.Add(ScriptedKernelLog.SoftLockup(42));

        var lost = NextPublish();
        var resent = NextPublish(ResendWait);

        Assert.Equal(("42", lost.Findings), (resent.Cursor, resent.Findings));
    }

    [Fact]
    public void Later_reads_wait_until_the_findings_before_them_are_spooled()
    {
        StartMonitor(savedCursor: null, readsAhead: 2);
        for (var sequence = 1; sequence <= 10; sequence++)
            _log.Records.Add(ScriptedKernelLog.SoftLockup(sequence));

        Assert.Equal("1", NextPublish().Cursor);
        var monitor = _uplink.LastSender;
        // Only the unconfirmed publish comes again (if the resend timer fires in time); the read loop stops once two reads wait for it.
        Assert.All(_uplink.ReceiveWhile(ResendAfter * 3, m => (PublishFindings)m), p => Assert.Equal("1", p.Cursor));
        Assert.Equal(10 - 3, _log.Records.Count);

        monitor.Tell(new FindingsSpooled("kmsg", "1"), _uplink.Ref);

        Assert.Equal("2", _uplink.FishForMessage<PublishFindings>(p => p.Cursor != "1").Cursor);
    }

    [Fact]
    public void Unwritable_spool_is_reported_as_failed_and_the_findings_resent_until_spooled()
    {
        StartMonitor(savedCursor: null);
        _uplink.ExpectMsg<ReportMonitorStatus>();
        _log.Records.Add(ScriptedKernelLog.SoftLockup(5));
        NextPublish();
        _uplink.Reply(new SpoolFailed("kmsg", "5", "Cannot write the spool /var/lib/node-health/spool.jsonl: No space left on device"));

        var failed = _uplink.FishForMessage<ReportMonitorStatus>(_ => true).Status;
        Assert.Equal((MonitorState.Failed, KernelMonitor.SpoolUnwritableReason), (failed.State, failed.Reason));
        Assert.Contains("No space left on device", failed.Detail);

        Assert.Equal("5", NextPublish(ResendWait).Cursor);
        _uplink.Reply(new FindingsSpooled("kmsg", "5"));
        Assert.Equal(MonitorState.Active, _uplink.FishForMessage<ReportMonitorStatus>(_ => true).Status.State);
    }
}

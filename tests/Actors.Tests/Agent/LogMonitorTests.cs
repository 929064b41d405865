using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Agent;

public sealed class LogMonitorTests : TestKit
{
    private readonly ScriptedKernelLog _log = new();
    private readonly Akka.TestKit.TestProbe _uplink;

    public LogMonitorTests() => _uplink = CreateTestProbe();

    private static readonly TimeSpan ResendAfter = TimeSpan.FromMilliseconds(300);

    /// <summary>How long a test waits for a resend: far past ResendAfter, because a loaded 2-core CI machine delays timers (0.9 s was once too short).</summary>
    private static readonly TimeSpan ResendWait = TimeSpan.FromSeconds(5);

    // An operator file on top of the built-in rules: a kmsg rule of another condition, a block, a rate limit.
    private static readonly ReasonCatalog Operator = KernelAnd("ops.yaml", CatalogLoader.Parse("ops.yaml", """
        conditions:
          - type: KernelReady
            reasons:
              - reason: AppBlocked
                block: { until: '^ </TASK>', maxLines: 50 }
              - reason: OomKill
                severity: Warning
                source: kmsg
                match: 'Out of memory: Killed process (?<pid>\d+) \((?<process>[^)]+)\)'
                entity: '{process}'
                rateLimit: 2/1s
                before: OOMKilling
          - type: StorageReady
            reasons:
              - { reason: DiskIOError, severity: Warning, source: kmsg, match: 'I/O error, dev (?<device>\w+)', entity: '{device}' }
        """));

    /// <summary>The built-in kernel rules (the built-in kmsg rules of other conditions left out, so each test knows which conditions it hears from), plus rules from <paramref name="origin"/>.</summary>
    private static ReasonCatalog KernelAnd(string? origin, ReasonCatalog catalog) =>
        catalog with { Rules = [.. catalog.Rules.Where(r => r.Condition == ConditionType.KernelReady || r.Origin == origin)] };

    private static readonly ReasonCatalog Kernel = KernelAnd(null, CatalogLoader.LoadBuiltIn());

    private IActorRef CreateMonitor(int readsAhead = 4, ReasonCatalog? catalog = null) => Sys.ActorOf(Props.Create(() => new LogMonitor(_log, catalog ?? Kernel, _uplink.Ref, TimeProvider.System,
        new LogMonitorSettings
        {
            RetryOpenAfter = TimeSpan.FromMilliseconds(200),
            CheckpointEvery = TimeSpan.FromMilliseconds(100),
            ReadWait = TimeSpan.FromMilliseconds(50),
            ResendAfter = ResendAfter,
            ReadsAhead = readsAhead,
            Detection = new DetectionOptions { BlockIdle = TimeSpan.FromMilliseconds(200) },
        })));

    private IActorRef StartMonitor(string? savedCursor, int readsAhead = 4, ReasonCatalog? catalog = null)
    {
        var monitor = CreateMonitor(readsAhead, catalog);
        Assert.Equal(MonitorState.Starting, _uplink.ExpectMsg<ReportMonitorStatus>().Status.State);
        _uplink.FishForMessage<GetCursor>(_ => true); // After the Starting status of each condition served.
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
        Assert.Equal((ConditionType.KernelReady, MonitorState.Failed, LogMonitor.KernelLogUnreadableReason), (status.Condition, status.State, status.Reason));
        Assert.Contains("Permission denied", status.Detail);

        _log.Unreadable = false;
        var recovered = _uplink.FishForMessage<ReportMonitorStatus>(_ => true, TimeSpan.FromSeconds(3)).Status;
        Assert.Equal(MonitorState.Active, recovered.State);
        Assert.True(_log.Opens >= 2);
    }

    [Fact]
    public void Log_not_kept_on_the_host_is_reported_inactive_not_failed_and_looked_for_again()
    {
        _log.NotPresent = true;
        StartMonitor(savedCursor: null);

        var status = _uplink.ExpectMsg<ReportMonitorStatus>().Status;
        Assert.Equal((MonitorState.Inactive, LogMonitor.NotPresentReason), (status.State, status.Reason));
        Assert.Contains("no journal", status.Detail);

        _log.NotPresent = false;
        Assert.Equal(MonitorState.Active, _uplink.FishForMessage<ReportMonitorStatus>(_ => true, TimeSpan.FromSeconds(3)).Status.State);
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
        Assert.Equal((MonitorState.Failed, LogMonitor.SpoolUnwritableReason), (failed.State, failed.Reason));
        Assert.Contains("No space left on device", failed.Detail);

        Assert.Equal("5", NextPublish(ResendWait).Cursor);
        _uplink.Reply(new FindingsSpooled("kmsg", "5"));
        Assert.Equal(MonitorState.Active, _uplink.FishForMessage<ReportMonitorStatus>(_ => true).Status.State);
    }

    [Fact]
    public void Monitor_reports_each_condition_its_source_serves_with_the_source_as_component()
    {
        CreateMonitor(catalog: Operator);

        var starting = new[] { _uplink.ExpectMsg<ReportMonitorStatus>(), _uplink.ExpectMsg<ReportMonitorStatus>() };
        Assert.Equal([ConditionType.KernelReady, ConditionType.StorageReady], starting.Select(r => r.Status.Condition).Order());
        Assert.All(starting, r => Assert.Equal(("kmsg", MonitorState.Starting), (r.Component, r.Status.State)));
        _uplink.ExpectMsg<GetCursor>();
        _uplink.Reply(new CursorResult("kmsg", null));

        var active = new[] { _uplink.ExpectMsg<ReportMonitorStatus>(), _uplink.ExpectMsg<ReportMonitorStatus>() };
        Assert.Equal(["DiskIsReady", "KernelIsReady"], active.Select(r => r.Status.Reason).Order());
    }

    [Fact]
    public void Findings_of_any_condition_are_published_with_their_entity()
    {
        StartMonitor(savedCursor: null, catalog: Operator);
        _log.Records.Add(new ScriptedLine(3, "blk_update_request: I/O error, dev nvme1n1, sector 2048 op 0x1:(WRITE) flags 0x800"));

        var draft = Assert.Single(NextPublish().Findings);

        Assert.Equal((ConditionType.StorageReady, "DiskIOError", "nvme1n1", 1), (draft.Condition, draft.Reason, draft.Entity, draft.Count));
    }

    [Fact]
    public void Block_at_the_end_of_a_burst_is_published_once_the_log_is_idle_and_the_cursor_never_passes_it_before()
    {
        StartMonitor(savedCursor: null, catalog: Operator);
        _log.Records.Add(new ScriptedLine(1, "EXT4-fs (vda1): mounted filesystem"));
        Assert.Equal("1", _uplink.FishForMessage<SaveCursor>(_ => true).Cursor);

        _log.Records.Add(new ScriptedLine(2, "INFO: task jbd2/nvme0n1p1-8:321 blocked for more than 122 seconds.", DateTime.UtcNow));
        _log.Records.Add(new ScriptedLine(3, " schedule+0x69/0x110", DateTime.UtcNow));

        var publish = _uplink.FishForMessage<object>(m => m is PublishFindings or SaveCursor, TimeSpan.FromSeconds(5));
        var block = Assert.IsType<PublishFindings>(publish); // No cursor past line 1 was saved before it.
        Assert.Equal(("AppBlocked", "3"), (Assert.Single(block.Findings).Reason, block.Cursor));
    }

    [Fact]
    public void Rate_limited_repeats_come_out_as_one_finding_with_their_count()
    {
        StartMonitor(savedCursor: null, catalog: Operator);
        for (var sequence = 1; sequence <= 5; sequence++)
            _log.Records.Add(new ScriptedLine(sequence, $"Out of memory: Killed process {4000 + sequence} (stress-ng)", DateTime.UtcNow));

        var counts = new List<int>();
        while (counts.Sum() < 5)
        {
            var publish = NextPublish(TimeSpan.FromSeconds(5));
            counts.AddRange(publish.Findings.Select(f => f.Count));
            _uplink.Reply(new FindingsSpooled("kmsg", publish.Cursor));
        }

        Assert.Equal([1, 1, 3], counts);
    }
}

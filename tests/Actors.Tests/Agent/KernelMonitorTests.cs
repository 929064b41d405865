using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Agent.Kernel;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Agent;

public sealed class KernelMonitorTests : TestKit
{
    /// <summary>A kernel log the test writes to; cursors are record sequence numbers.</summary>
    private sealed class ScriptedKernelLog : IKernelLogSource, IKernelLogReader
    {
        public readonly BlockingCollection<KmsgRecord> Records = new();
        public string? OpenedAfter;
        public bool Unreadable;
        public int Opens;
        public DateTime? BootedAt;

        public string Description => "scripted log";

        public IKernelLogReader Open(string? resumeAfter)
        {
            Opens++;
            if (Unreadable)
                throw new KernelLogUnavailableException("Permission denied");
            OpenedAfter = resumeAfter;
            return this;
        }

        public KernelLogRead Read(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (!Records.TryTake(out var record, timeout))
                return KernelLogRead.Nothing(null);
            return new KernelLogRead([record], record.Sequence.ToString(), 0, 0, BootedAt);
        }

        public void Dispose()
        {
        }
    }

    private readonly ScriptedKernelLog _log = new();
    private readonly Akka.TestKit.TestProbe _uplink;

    public KernelMonitorTests() => _uplink = CreateTestProbe();

    private IActorRef StartMonitor(string? savedCursor)
    {
        var monitor = Sys.ActorOf(Props.Create(() => new KernelMonitor(_log, CatalogLoader.LoadBuiltIn(), _uplink.Ref, TimeProvider.System,
            new KernelMonitorSettings { RetryOpenAfter = TimeSpan.FromMilliseconds(200), CheckpointEvery = TimeSpan.FromMilliseconds(100), ReadWait = TimeSpan.FromMilliseconds(50) })));
        _uplink.ExpectMsg<GetCursor>();
        _uplink.Reply(new CursorResult("kmsg", savedCursor));
        return monitor;
    }

    [Fact]
    public void Soft_lockup_line_becomes_a_finding_with_the_cursor_of_its_line()
    {
        StartMonitor(savedCursor: "41");
        Assert.Equal(MonitorState.Active, _uplink.ExpectMsg<ReportMonitorStatus>().Status.State);
        Assert.Equal("41", _log.OpenedAfter);

        _log.Records.Add(new KmsgRecord(4, 42, 0, "watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [stress:1234]"));

        var publish = _uplink.FishForMessage<PublishFindings>(_ => true);
        var draft = Assert.Single(publish.Findings);
        Assert.Equal(("SoftLockup", Severity.Warning, ConditionType.KernelReady), (draft.Reason, draft.Severity, draft.Condition));
        Assert.Equal("42", publish.Cursor);
    }

    [Fact]
    public void Finding_is_dated_by_the_kernel_record_not_by_when_it_was_read()
    {
        var bootedAt = DateTime.UtcNow.AddHours(-1);
        _log.BootedAt = bootedAt;
        StartMonitor(savedCursor: null);
        _uplink.ExpectMsg<ReportMonitorStatus>();

        var micros = (long)TimeSpan.FromMinutes(30).TotalMicroseconds;
        _log.Records.Add(new KmsgRecord(4, 1, micros, "watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [old:1]"));
        Assert.Equal(bootedAt.AddMinutes(30), Assert.Single(_uplink.FishForMessage<PublishFindings>(_ => true).Findings).ObservedAt);

        _log.Records.Add(new KmsgRecord(4, 2, micros * 4, "watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [future:2]"));
        var clamped = Assert.Single(_uplink.FishForMessage<PublishFindings>(_ => true).Findings).ObservedAt;
        Assert.InRange(clamped, DateTime.UtcNow.AddSeconds(-5), DateTime.UtcNow); // Never later than it was read.
    }

    [Fact]
    public void Lines_that_match_nothing_only_move_the_cursor()
    {
        StartMonitor(savedCursor: null);
        _uplink.ExpectMsg<ReportMonitorStatus>();

        _log.Records.Add(new KmsgRecord(6, 7, 0, "EXT4-fs (vda1): mounted filesystem"));

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
}

using Akka.Actor;
using Akka.Event;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using Detected = NodeHealth.Actors.Detection.Detection;

namespace NodeHealth.Actors.Agent.Kernel;

public sealed record KernelMonitorSettings
{
    public TimeSpan RetryOpenAfter { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How long a read waits for records before checking for shutdown; records themselves wake it at once.</summary>
    public TimeSpan ReadWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A cursor request or publish the uplink has not answered in this time (it was restarting), or refused, is sent again.</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads handed over but not yet spooled; the read loop waits beyond this (back-pressure).</summary>
    public int ReadsAhead { get; init; } = 4;
}

/// <summary>
/// Watches the kernel log for the KernelReady reasons of the catalog. Reading blocks, so it runs on
/// its own long-running task that hands batches to the actor; classification and cursor keeping
/// happen here. A read that produced findings is done only once the uplink confirms them spooled:
/// until then it is resent, and later reads wait. When the log cannot be read, or findings cannot
/// be spooled, the monitor says so (KernelReady Unknown), never "healthy".
/// </summary>
public sealed class KernelMonitor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    public const string SourceName = "kmsg";
    public const string UnreadableReason = "KernelLogUnreadable";
    public const string SpoolUnwritableReason = "SpoolUnwritable";

    private readonly ILogSource _source;
    private readonly IActorRef _uplink;
    private readonly TimeProvider _clock;
    private readonly KernelMonitorSettings _settings;
    private readonly DetectionEngine _engine;
    private readonly List<Detected> _detections = [];
    private long _lineNumber;
    private readonly ConditionDefinition _condition;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _readsAhead;
    private string? _cursor;
    private string? _unsavedCursor;
    private PublishFindings? _unconfirmed;
    private bool _spoolFailing;
    private MonitorStatus? _status;

    public KernelMonitor(ILogSource source, ReasonCatalog catalog, IActorRef uplink, TimeProvider clock, KernelMonitorSettings settings)
    {
        _source = source;
        _uplink = uplink;
        _clock = clock;
        _settings = settings;
        _engine = new DetectionEngine(catalog, SourceName);
        _condition = catalog.Definition(ConditionType.KernelReady)
            ?? throw new CatalogException("The catalog does not define KernelReady");
        _readsAhead = new SemaphoreSlim(settings.ReadsAhead);

        Receive<CursorResult>(result =>
        {
            Timers.Cancel(AskCursor.Instance);
            _cursor = result.Cursor;
            Become(Reading);
            Self.Tell(OpenLog.Instance);
        });
        Receive<AskCursor>(_ => AskForCursor());
        Receive<UplinkStarted>(_ =>
        {
            ReportAgain();
            AskForCursor();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(UplinkStarted));
        // Until it has looked at the log, the condition stays as the coordinator last knew it.
        Report(MonitorState.Starting, MonitorStatuses.StartingReason, $"Kernel monitor is starting; it has not read {_source.Description} yet");
        AskForCursor();
    }

    // The read loop owns the reader and closes it as it leaves: closing it here could race a read in progress.
    protected override void PostStop() => _stopping.Cancel();

    /// <summary>The uplink may be restarting and miss the question: ask until it answers.</summary>
    private void AskForCursor()
    {
        _uplink.Tell(new GetCursor(SourceName));
        Timers.StartSingleTimer(AskCursor.Instance, AskCursor.Instance, _settings.ResendAfter);
    }

    private void Reading()
    {
        Receive<OpenLog>(_ => Open());
        Receive<LogRead>(read =>
        {
            if (_unconfirmed is not null)
                Stash.Stash(); // Bounded by ReadsAhead: the read loop waits for this one.
            else
                Process(read);
        });
        Receive<FindingsSpooled>(spooled => spooled.Cursor == _unconfirmed?.Cursor, _ => Confirmed());
        Receive<SpoolFailed>(failed => failed.Cursor == _unconfirmed?.Cursor, SpoolRefused);
        Receive<ResendFindings>(_ => SendUnconfirmed());
        Receive<UplinkStarted>(_ =>
        {
            ReportAgain();
            SendUnconfirmed();
        });
        Receive<FindingsSpooled>(_ => { }); // A late confirmation of a resent publish.
        Receive<SpoolFailed>(_ => { });
        Receive<ReaderFailed>(failed => throw new IOException($"Reading {_source.Description} failed", failed.Cause));
        Receive<Checkpoint>(_ =>
        {
            if (_unsavedCursor is null)
                return;
            _uplink.Tell(new SaveCursor(SourceName, _unsavedCursor));
            _unsavedCursor = null;
        });
    }

    private void Open()
    {
        ILogReader reader;
        try
        {
            reader = _source.Open(_cursor);
        }
        catch (LogUnavailableException e)
        {
            _log.Warning("Kernel monitor cannot read {0}: {1}. KernelReady is reported Unknown; retrying in {2}",
                _source.Description, e.Message, _settings.RetryOpenAfter);
            Report(MonitorState.Failed, UnreadableReason, $"Cannot read {_source.Description}: {e.Message}");
            Timers.StartSingleTimer(OpenLog.Instance, OpenLog.Instance, _settings.RetryOpenAfter);
            return;
        }

        _log.Info("Kernel monitor reading {0} with {1} rules{2}", _source.Description, _engine.RuleCount,
            _cursor is null ? " from its end" : " from where it stopped");
        Report(MonitorState.Active, _condition.ReadyReason, _condition.ReadyMessage);
        StartReadLoop(reader);
    }

    private void Process(LogRead read)
    {
        if (read.Lost > 0)
            _log.Warning("The kernel overwrote {0} log records before they could be read", read.Lost);
        if (read.Malformed > 0)
            _log.Warning("Skipped {0} malformed kernel log records", read.Malformed);

        var now = _clock.GetUtcNow().UtcDateTime;
        List<FindingDraft>? drafts = null;
        foreach (var record in read.Records)
            _engine.Feed(record.Text, record.At ?? now, ++_lineNumber, _detections);
        foreach (var match in _detections)
        {
            (drafts ??= []).Add(new FindingDraft(match.Rule.Condition, match.Rule.Reason, match.Rule.Severity, match.Message, match.At, SourceName,
                Recovery: match.Rule.Recovery, QuietFor: match.Rule.QuietFor));
        }

        _detections.Clear();

        if (read.Cursor is null)
        {
            _readsAhead.Release();
            return;
        }

        _cursor = read.Cursor;
        if (drafts is null)
        {
            _unsavedCursor = read.Cursor;
            // Saved a little later, batched: an idle log costs no timer at all.
            if (!Timers.IsTimerActive(Checkpoint.Instance))
                Timers.StartSingleTimer(Checkpoint.Instance, Checkpoint.Instance, _settings.CheckpointEvery);
            _readsAhead.Release();
            return;
        }

        _unsavedCursor = null;
        _unconfirmed = new PublishFindings(drafts, SourceName, read.Cursor);
        SendUnconfirmed();
    }

    private void SendUnconfirmed()
    {
        if (_unconfirmed is null)
            return;
        _uplink.Tell(_unconfirmed);
        Timers.StartSingleTimer(ResendFindings.Instance, ResendFindings.Instance, _settings.ResendAfter);
    }

    private void Confirmed()
    {
        Timers.Cancel(ResendFindings.Instance);
        _unconfirmed = null;
        if (_spoolFailing)
        {
            _spoolFailing = false;
            _log.Info("Kernel findings are spooled again");
            Report(MonitorState.Active, _condition.ReadyReason, _condition.ReadyMessage);
        }

        _readsAhead.Release();
        Stash.UnstashAll();
    }

    /// <summary>The agent can no longer vouch for the node: KernelReady Unknown until the spool takes the findings.</summary>
    private void SpoolRefused(SpoolFailed failed)
    {
        if (!_spoolFailing)
            _log.Warning("Kernel findings cannot be spooled: {0}. KernelReady is reported Unknown; retrying every {1}", failed.Problem, _settings.ResendAfter);
        _spoolFailing = true;
        Report(MonitorState.Failed, SpoolUnwritableReason, failed.Problem);
        Timers.StartSingleTimer(ResendFindings.Instance, ResendFindings.Instance, _settings.ResendAfter);
    }

    private void Report(MonitorState state, string reason, string detail)
    {
        _status = new MonitorStatus(ConditionType.KernelReady, state, reason, detail);
        _uplink.Tell(new ReportMonitorStatus(_status));
    }

    private void ReportAgain()
    {
        if (_status is not null)
            _uplink.Tell(new ReportMonitorStatus(_status));
    }

    private void StartReadLoop(ILogReader reader)
    {
        var self = Self;
        var stopping = _stopping.Token;
        var wait = _settings.ReadWait;
        var readsAhead = _readsAhead;
        Task.Factory.StartNew(() =>
        {
            try
            {
                while (!stopping.IsCancellationRequested)
                {
                    var read = reader.Read(wait, stopping);
                    if (read.Records.Count == 0 && read.Lost == 0 && read.Malformed == 0 && read.Cursor is null)
                        continue;
                    readsAhead.Wait(stopping); // Back-pressure: neither a replayed file nor an unwritable spool may flood the mailbox.
                    self.Tell(read);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                self.Tell(new ReaderFailed(e));
            }
            finally
            {
                reader.Dispose();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private sealed record OpenLog
    {
        public static readonly OpenLog Instance = new();
    }

    private sealed record Checkpoint
    {
        public static readonly Checkpoint Instance = new();
    }

    private sealed record AskCursor
    {
        public static readonly AskCursor Instance = new();
    }

    private sealed record ResendFindings
    {
        public static readonly ResendFindings Instance = new();
    }

    private sealed record ReaderFailed(Exception Cause);
}

using Akka.Actor;
using Akka.Event;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Detection.Reload;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using Detected = NodeHealth.Actors.Detection.Detection;

namespace NodeHealth.Actors.Agent.Logs;

/// <summary>
/// Watches one log source for the catalog's rules of that source, whatever conditions they serve. Reading blocks,
/// so it runs on its own long-running task that hands batches to the actor; detection and cursor keeping happen
/// here. A read that produced findings is done only once the uplink confirms them spooled: until then it is
/// resent, and later reads wait; the saved cursor never passes a line whose finding is not spooled (an open
/// block holds it, see <see cref="CursorLedger"/>). When the log cannot be read, or findings cannot be spooled,
/// each condition it serves is reported so (Unknown), never "healthy"; statuses carry Component = the source name.
/// </summary>
public sealed partial class LogMonitor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    public const string KernelLogUnreadableReason = "KernelLogUnreadable";
    public const string LogUnreadableReason = "LogUnreadable";
    public const string SpoolUnwritableReason = "SpoolUnwritable";
    public const string NotPresentReason = "LogNotPresent";

    private readonly ILogSource _source;
    private readonly IActorRef _uplink;
    private readonly TimeProvider _clock;
    private readonly LogMonitorSettings _settings;
    private DetectionEngine _engine;
    private ConditionDefinition[] _conditions;
    private string? _catalogProblem;
    private readonly List<Detected> _detections = [];
    private readonly CursorLedger _cursors = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _readsAhead;
    private long _lineNumber;
    private PublishFindings? _unconfirmed;
    private bool _unconfirmedHoldsARead;
    private bool _spoolFailing;
    private (MonitorState State, string Reason, string Detail)? _status;

    public LogMonitor(ILogSource source, ReasonCatalog catalog, IActorRef uplink, TimeProvider clock, LogMonitorSettings settings)
    {
        _source = source;
        _uplink = uplink;
        _clock = clock;
        _settings = settings;
        _catalogProblem = settings.Catalogs?.Problem;
        (_engine, _conditions) = Rules(settings.Catalogs?.Current ?? catalog);
        _readsAhead = new SemaphoreSlim(settings.ReadsAhead);

        Receive<CursorResult>(result =>
        {
            Timers.Cancel(AskCursor.Instance);
            _cursors.Resumed(result.Cursor);
            Become(Reading);
            Self.Tell(OpenLog.Instance);
        });
        Receive<AskCursor>(_ => AskForCursor());
        Receive<UplinkStarted>(_ =>
        {
            ReportAgain();
            AskForCursor();
        });
        Receive<CatalogChanged>(changed => Reload(changed.Catalog));
        Receive<CatalogRejected>(rejected => CatalogRefused(rejected.Problem));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    /// <summary>What a source reports when it cannot be read: kmsg keeps the reason it always had.</summary>
    public static string UnreadableReason(string source) => source == "kmsg" ? KernelLogUnreadableReason : LogUnreadableReason;

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(UplinkStarted));
        CatalogReloads.Subscribe(Context.System, Self);
        // Until it has looked at the log, its conditions stay as the coordinator last knew them.
        Report(MonitorState.Starting, MonitorStatuses.StartingReason, $"Log monitor is starting; it has not read {_source.Description} yet");
        AskForCursor();
    }

    // The read loop owns the reader and closes it as it leaves: closing it here could race a read in progress.
    protected override void PostStop() => _stopping.Cancel();

    /// <summary>The uplink may be restarting and miss the question: ask until it answers.</summary>
    private void AskForCursor()
    {
        _uplink.Tell(new GetCursor(_source.Name));
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
        Receive<FlushDetections>(_ => Flush());
        Receive<CatalogChanged>(changed =>
        {
            if (_unconfirmed is not null)
            {
                Stash.Stash(); // After the publish in flight: the old rules' last findings go out first.
                return;
            }

            _engine.Flush(DateTime.MaxValue, _detections); // The old rules end here: open blocks and folded repeats come out now.
            _cursors.AfterFlush(null);
            if (!PublishDetections(holdsARead: false))
                CheckpointSoon();
            Reload(changed.Catalog);
        });
        Receive<CatalogRejected>(rejected => CatalogRefused(rejected.Problem));
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
            if (_unconfirmed is null && _cursors.ToSave() is { } cursor)
                _uplink.Tell(new SaveCursor(_source.Name, cursor));
        });
    }

    private void Open()
    {
        ILogReader reader;
        try
        {
            reader = _source.Open(CursorLedger.SourcePart(_cursors.Settled));
        }
        catch (LogNotPresentException e)
        {
            _log.Info("Log monitor has nothing to read: {0}. Looking again in {1}", e.Message, _settings.RetryOpenAfter);
            Report(MonitorState.Inactive, NotPresentReason, e.Message);
            Timers.StartSingleTimer(OpenLog.Instance, OpenLog.Instance, _settings.RetryOpenAfter);
            return;
        }
        catch (LogUnavailableException e)
        {
            _log.Warning("Log monitor cannot read {0}: {1}. Its conditions are reported Unknown; retrying in {2}",
                _source.Description, e.Message, _settings.RetryOpenAfter);
            Report(MonitorState.Failed, UnreadableReason(_source.Name), $"Cannot read {_source.Description}: {e.Message}");
            Timers.StartSingleTimer(OpenLog.Instance, OpenLog.Instance, _settings.RetryOpenAfter);
            return;
        }

        // "Kernel monitor reading" for kmsg, as before: operators and the end-to-end tests wait for that line.
        _log.Info("{0} monitor reading {1} ({2}) with {3} rules{4}", _source.Name == "kmsg" ? "Kernel" : "Log", _source.Description, _source.Name, _engine.RuleCount,
            _cursors.Settled is null ? " from its end" : " from where it stopped");
        ReportActive();
        StartReadLoop(reader);
    }

    private void Process(LogRead read)
    {
        if (read.Lost > 0)
            _log.Warning("{0} lost {1} log records before they could be read", _source.Description, read.Lost);
        if (read.Malformed > 0)
            _log.Warning("Skipped {0} malformed records of {1}", read.Malformed, _source.Description);

        var now = _clock.GetUtcNow().UtcDateTime;
        var firstLine = _lineNumber + 1;
        Metrics.AgentMetrics.Read(_source.Name, read.Records.Count);
        foreach (var record in read.Records)
            _engine.Feed(record.Text, record.At ?? now, ++_lineNumber, _detections);
        _cursors.AfterRead(read.Cursor, firstLine, _engine.OpenBlockLine);
        ScheduleFlush();
        if (!PublishDetections(holdsARead: true))
        {
            CheckpointSoon();
            _readsAhead.Release();
        }
    }

    /// <summary>Closes a block the log has left idle and lets passed rate windows out, then publishes what came.</summary>
    private void Flush()
    {
        if (_unconfirmed is not null)
        {
            ScheduleFlush(); // After the publish in flight: findings go to the uplink one publish at a time.
            return;
        }

        _engine.Flush(_clock.GetUtcNow().UtcDateTime, _detections);
        _cursors.AfterFlush(_engine.OpenBlockLine);
        ScheduleFlush();
        if (!PublishDetections(holdsARead: false))
            CheckpointSoon();
    }

    private void ScheduleFlush()
    {
        if (_engine.HasPending && !Timers.IsTimerActive(FlushDetections.Instance))
            Timers.StartSingleTimer(FlushDetections.Instance, FlushDetections.Instance, _settings.Detection.BlockIdle);
    }

    /// <summary>Saved a little later, batched: an idle log costs no timer at all.</summary>
    private void CheckpointSoon()
    {
        if (!Timers.IsTimerActive(Checkpoint.Instance))
            Timers.StartSingleTimer(Checkpoint.Instance, Checkpoint.Instance, _settings.CheckpointEvery);
    }

    private bool PublishDetections(bool holdsARead)
    {
        if (_detections.Count == 0)
            return false;
        Metrics.AgentMetrics.Classified(_source.Name, _detections.Sum(d => d.Count));
        var drafts = _detections.Select(d => new FindingDraft(d.Rule.Condition, d.Rule.Reason, d.Rule.Severity, d.Message, d.At, _source.Name,
            d.Entity, d.Rule.Recovery, d.Rule.QuietFor, d.Count)).ToList();
        _detections.Clear();
        _unconfirmed = new PublishFindings(drafts, _source.Name, _cursors.ToPublish());
        _unconfirmedHoldsARead = holdsARead;
        SendUnconfirmed();
        return true;
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
            _log.Info("Findings of {0} are spooled again", _source.Description);
            ReportActive();
        }

        if (_unconfirmedHoldsARead)
            _readsAhead.Release();
        Stash.UnstashAll();
    }

    /// <summary>The agent can no longer vouch for the node: its conditions Unknown until the spool takes the findings.</summary>
    private void SpoolRefused(SpoolFailed failed)
    {
        if (!_spoolFailing)
            _log.Warning("Findings of {0} cannot be spooled: {1}. Its conditions are reported Unknown; retrying every {2}", _source.Description, failed.Problem, _settings.ResendAfter);
        _spoolFailing = true;
        Report(MonitorState.Failed, SpoolUnwritableReason, failed.Problem);
        Timers.StartSingleTimer(ResendFindings.Instance, ResendFindings.Instance, _settings.ResendAfter);
    }

    private (DetectionEngine Engine, ConditionDefinition[] Conditions) Rules(ReasonCatalog catalog)
    {
        var engine = new DetectionEngine(catalog, _source.Name, _settings.Detection);
        return (engine, [.. engine.Conditions.Select(c => catalog.Definition(c) ?? throw new CatalogException($"The catalog does not define {c}"))]);
    }

    /// <summary>The reloaded catalog's rules from the next line on; occurrences counted so far start again.</summary>
    private void Reload(ReasonCatalog catalog)
    {
        (_engine, _conditions) = Rules(catalog);
        _catalogProblem = null;
        _log.Info("Log monitor {0} now runs {1} rules of the reloaded catalog", _source.Name, _engine.RuleCount);
        ReportAgain();
    }

    private void CatalogRefused(string problem)
    {
        _catalogProblem = problem;
        ReportAgain();
    }

    private void ReportActive() => Report(MonitorState.Active, null, null);

    /// <summary>One status per condition this source's rules serve; Active shows each condition's ready reason.</summary>
    private void Report(MonitorState state, string? reason, string? detail)
    {
        _status = (state, reason ?? "", detail ?? "");
        ReportAgain();
    }

    private void ReportAgain()
    {
        if (_status is not { } status)
            return;
        foreach (var condition in _conditions)
        {
            var (reason, detail) = status.State == MonitorState.Active ? (condition.ReadyReason, condition.ReadyMessage) : (status.Reason, status.Detail);
            _uplink.Tell(new ReportMonitorStatus(new MonitorStatus(condition.Type, status.State, reason, CatalogReloads.Detail(detail, _catalogProblem))) { Component = _source.Name });
        }
    }
}

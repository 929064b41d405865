using Akka.Actor;
using Akka.Event;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Agent.Kernel;

public sealed record KernelMonitorSettings
{
    public TimeSpan RetryOpenAfter { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How long a read waits for records before checking for shutdown; records themselves wake it at once.</summary>
    public TimeSpan ReadWait { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Watches the kernel log for the KernelReady reasons of the catalog. Reading blocks, so it runs on
/// its own long-running task that hands batches to the actor; classification and cursor keeping
/// happen here. When the log cannot be read the monitor says so (KernelReady Unknown), never "healthy".
/// </summary>
public sealed class KernelMonitor : ReceiveActor, IWithTimers
{
    public const string SourceName = "kmsg";
    public const string UnreadableReason = "KernelLogUnreadable";

    private readonly IKernelLogSource _source;
    private readonly IActorRef _uplink;
    private readonly TimeProvider _clock;
    private readonly KernelMonitorSettings _settings;
    private readonly LineClassifier _classifier;
    private readonly OccurrenceWindow _occurrences = new();
    private readonly ConditionDefinition _condition;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _inFlight = new(4);
    private IKernelLogReader? _reader;
    private string? _cursor;
    private string? _unsavedCursor;

    public KernelMonitor(IKernelLogSource source, ReasonCatalog catalog, IActorRef uplink, TimeProvider clock, KernelMonitorSettings settings)
    {
        _source = source;
        _uplink = uplink;
        _clock = clock;
        _settings = settings;
        _classifier = new LineClassifier(catalog, SourceName);
        _condition = catalog.Definition(ConditionType.KernelReady)
            ?? throw new CatalogException("The catalog does not define KernelReady");

        Receive<CursorResult>(result =>
        {
            _cursor = result.Cursor;
            Become(Reading);
            Self.Tell(OpenLog.Instance);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => _uplink.Tell(new GetCursor(SourceName));

    protected override void PostStop()
    {
        _stopping.Cancel();
        _reader?.Dispose();
    }

    private void Reading()
    {
        Receive<OpenLog>(_ => Open());
        Receive<KernelLogRead>(Process);
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
        try
        {
            _reader = _source.Open(_cursor);
        }
        catch (KernelLogUnavailableException e)
        {
            _log.Warning("Kernel monitor cannot read {0}: {1}. KernelReady is reported Unknown; retrying in {2}",
                _source.Description, e.Message, _settings.RetryOpenAfter);
            Report(MonitorState.Failed, UnreadableReason, $"Cannot read {_source.Description}: {e.Message}");
            Timers.StartSingleTimer(OpenLog.Instance, OpenLog.Instance, _settings.RetryOpenAfter);
            return;
        }

        _log.Info("Kernel monitor reading {0} with {1} rules{2}", _source.Description, _classifier.RuleCount,
            _cursor is null ? " from its end" : " from where it stopped");
        Report(MonitorState.Active, _condition.ReadyReason, _condition.ReadyMessage);
        StartReadLoop(_reader);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private void Process(KernelLogRead read)
    {
        _inFlight.Release();
        if (read.Lost > 0)
            _log.Warning("The kernel overwrote {0} log records before they could be read", read.Lost);
        if (read.Malformed > 0)
            _log.Warning("Skipped {0} malformed kernel log records", read.Malformed);

        var now = _clock.GetUtcNow().UtcDateTime;
        List<FindingDraft>? drafts = null;
        foreach (var record in read.Records)
        {
            if (_classifier.Classify(record.Text) is not { } match || !_occurrences.ShouldFire(match.Rule, null, now))
                continue;
            var observedAt = read.BootedAt is { } bootedAt ? Min(bootedAt.AddTicks(record.TimestampMicros * 10), now) : now;
            (drafts ??= []).Add(new FindingDraft(match.Rule.Condition, match.Rule.Reason, match.Rule.Severity, match.Message, observedAt, SourceName,
                Recovery: match.Rule.Recovery, QuietFor: match.Rule.QuietFor));
        }

        if (read.Cursor is null)
            return;
        _cursor = read.Cursor;
        if (drafts is null)
        {
            _unsavedCursor = read.Cursor;
            // Saved a little later, batched: an idle log costs no timer at all.
            if (!Timers.IsTimerActive(Checkpoint.Instance))
                Timers.StartSingleTimer(Checkpoint.Instance, Checkpoint.Instance, _settings.CheckpointEvery);
            return;
        }

        _uplink.Tell(new PublishFindings(drafts, SourceName, read.Cursor));
        _unsavedCursor = null;
    }

    private void Report(MonitorState state, string reason, string detail) =>
        _uplink.Tell(new ReportMonitorStatus(new MonitorStatus(ConditionType.KernelReady, state, reason, detail)));

    private void StartReadLoop(IKernelLogReader reader)
    {
        var self = Self;
        var stopping = _stopping.Token;
        var wait = _settings.ReadWait;
        Task.Factory.StartNew(() =>
        {
            try
            {
                while (!stopping.IsCancellationRequested)
                {
                    var read = reader.Read(wait, stopping);
                    if (read.Records.Count == 0 && read.Lost == 0 && read.Malformed == 0 && read.Cursor is null)
                        continue;
                    _inFlight.Wait(stopping); // Back-pressure: a replayed file must not flood the mailbox.
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
        }, stopping, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private sealed record OpenLog
    {
        public static readonly OpenLog Instance = new();
    }

    private sealed record Checkpoint
    {
        public static readonly Checkpoint Instance = new();
    }

    private sealed record ReaderFailed(Exception Cause);
}

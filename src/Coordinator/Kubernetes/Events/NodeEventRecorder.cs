using Akka.Actor;
using Akka.Event;
using k8s.Models;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Coordinator.Kubernetes.Events;

/// <summary>Where and as whom a node's events are recorded, and how often series are looked at.</summary>
public sealed record EventRecorderSettings(KubernetesApi Api, string Namespace, string ReportingInstance, TimeProvider Clock)
{
    public const string ReportingController = "node-health";

    public EventCorrelatorSettings Correlation { get; init; } = EventCorrelatorSettings.ClientGo;

    /// <summary>How often series are checked for a refresh or their end.</summary>
    public TimeSpan TickEvery { get; init; } = TimeSpan.FromSeconds(30);

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>client-go's maxTriesPerEvent: an event still failing after this many tries is dropped.</summary>
    public int MaxTries { get; init; } = 12;
}

/// <summary>
/// Records one node's events (events.k8s.io/v1, regarding the Node) from the states its entity
/// reaches, folding repeats into series by <see cref="EventCorrelator"/>. One write at a time, in order.
/// </summary>
public sealed class NodeEventRecorder : ReceiveActor, IWithTimers
{
    private readonly string _nodeName;
    private readonly EventRecorderSettings _settings;
    private readonly EventCorrelator _correlator;
    private readonly Queue<(EventIntent Intent, int Tries)> _queue = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private NodeHealthState? _previous;
    private bool _busy;
    private long _named;

    public NodeEventRecorder(string nodeName, EventRecorderSettings settings)
    {
        _nodeName = nodeName;
        _settings = settings;
        _correlator = new EventCorrelator(settings.Correlation, Now);
        Receive<NodeHealthState>(state =>
        {
            foreach (var occurrence in EventOccurrences.Between(_previous, state))
                Enqueue(_correlator.Observe(occurrence, Now));
            _previous = state;
        });
        Receive<Tick>(_ => Enqueue(_correlator.Tick(Now)));
        Receive<Retry>(_ => Next());
        Receive<Answered>(Handle);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string nodeName, EventRecorderSettings settings) =>
        Akka.Actor.Props.Create(() => new NodeEventRecorder(nodeName, settings));

    protected override void PreStart() => Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _settings.TickEvery);

    private DateTime Now => _settings.Clock.GetUtcNow().UtcDateTime;

    private void Enqueue(IEnumerable<EventIntent> intents)
    {
        foreach (var intent in intents)
            _queue.Enqueue((intent, 0));
        Next();
    }

    private void Next()
    {
        if (_busy || !_queue.TryPeek(out var next) || Timers.IsTimerActive(Retry.Instance))
            return;
        _busy = true;
        var api = _settings.Api;
        var write = next.Intent switch
        {
            CreateEvent create => api.CreateEventAsync(EventObjects.Build(_nodeName, create, Name(create), _settings), CancellationToken.None),
            PatchSeries patch => api.PatchEventAsync(_settings.Namespace, patch.Name, EventObjects.SeriesPatch(patch), CancellationToken.None),
            _ => throw new InvalidOperationException($"unknown event intent {next.Intent}"),
        };
        write.PipeTo(Self, success: answer => new Answered(answer));
    }

    private void Handle(Answered answered)
    {
        _busy = false;
        var (intent, tries) = _queue.Peek();
        if (answered.Answer.Value is { } written)
        {
            _queue.Dequeue();
            if (intent is CreateEvent)
                _correlator.Created(intent.Key, written.Metadata.Name);
            Next();
            return;
        }

        var failure = answered.Answer.Failure!;
        _queue.Dequeue();
        if (intent is PatchSeries && failure.IsNotFound && _correlator.Recreate(intent.Key) is { } again)
            _queue.Enqueue((again, 0)); // The event expired on the server: start it again, as client-go does.
        else if (failure.IsRetryable && tries + 1 < _settings.MaxTries)
        {
            var retry = (intent, tries + 1);
            var rest = _queue.ToList();
            _queue.Clear();
            _queue.Enqueue(retry);
            foreach (var item in rest)
                _queue.Enqueue(item);
            var delay = _settings.Retry.Delay(tries + 1, failure.RetryAfter, Random.Shared.NextDouble());
            _log.Warning("Recording an event about node {0} failed ({1}); retry in {2:0.###}s", _nodeName, failure, delay.TotalSeconds);
            Timers.StartSingleTimer(Retry.Instance, Retry.Instance, delay);
            return;
        }
        else
        {
            _log.Error("Kubernetes refused an event about node {0} ({1}); it is dropped", _nodeName, failure);
            _correlator.Forget(intent.Key);
        }

        Next();
    }

    /// <summary>Unique per node and recorder, like client-go's name.timestamp.</summary>
    private string Name(CreateEvent create) => $"{_nodeName}.{create.First.ObservedAt.Ticks:x}{++_named:x}";

    private sealed record Answered(ApiAnswer<Eventsv1Event> Answer);

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record Retry
    {
        public static readonly Retry Instance = new();
    }
}

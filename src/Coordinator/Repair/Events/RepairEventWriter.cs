using System.Threading.Channels;
using k8s.Models;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Contracts.Repair;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Coordinator.Kubernetes.Events;

namespace NodeHealth.Coordinator.Repair.Events;

/// <summary>
/// Writes the governor's records as events.k8s.io/v1 Events regarding their Node, in order, off the governor's
/// thread: a bounded queue (the oldest dropped when the API server is far behind), a few tries each with backoff.
/// A record about a zone or the fleet (a storm breaker, the operator's pause) regards the unhealthy nodes it holds or
/// releases, since that is where `kubectl describe node` shows why a repair waits — at most
/// <see cref="RepairEventNotes.MaxNodesPerRecord"/> of them; with none, it regards this coordinator's Pod (reportingInstance).
/// </summary>
public sealed class RepairEventWriter(KubernetesApi api, string ns, string reportingInstance, TimeProvider clock, ILogger<RepairEventWriter> log)
    : BackgroundService, IRepairEventSink
{
    private const int MaxTries = 5;
    private readonly Channel<(V1ObjectReference Regarding, RepairEventNote Note, DateTimeOffset At)> _queue =
        Channel.CreateBounded<(V1ObjectReference, RepairEventNote, DateTimeOffset)>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
    private long _named;

    public void Record(string node, IRepairGovernorEvent recorded)
    {
        if (RepairEventNotes.For(recorded) is { } note)
            _queue.Writer.TryWrite((EventObjects.Node(node), note, clock.GetUtcNow()));
    }

    public void RecordConcerning(IReadOnlyList<string> nodes, IRepairGovernorEvent recorded)
    {
        if (RepairEventNotes.For(recorded) is not { } note)
            return;
        var at = clock.GetUtcNow();
        var coordinator = new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", NamespaceProperty = ns, Name = reportingInstance };
        foreach (var (regarding, shown) in Regarding(nodes, note, coordinator))
            _queue.Writer.TryWrite((regarding, shown, at));
    }

    /// <summary>The objects a record about a zone or the fleet regards (the first nodes concerned by name, else the coordinator), each with its note.</summary>
    public static IReadOnlyList<(V1ObjectReference Regarding, RepairEventNote Note)> Regarding(IReadOnlyList<string> nodes, RepairEventNote note, V1ObjectReference coordinator)
    {
        var shown = nodes.Order(StringComparer.Ordinal).Take(RepairEventNotes.MaxNodesPerRecord).ToList();
        var spread = RepairEventNotes.Spread(note, shown.Count, nodes.Count);
        return shown.Count == 0 ? [(coordinator, spread)] : [.. shown.Select(node => (EventObjects.Node(node), spread))];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (regarding, note, at) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            var @event = Build(regarding, note, at);
            for (var attempt = 1; ; attempt++)
            {
                var answer = await api.CreateEventAsync(@event, stoppingToken);
                if (answer.Failure is not { } failure)
                    break;
                if (attempt >= MaxTries || !failure.IsRetryable)
                {
                    log.LogWarning("Repair event {Reason} for {Kind} {Name} not recorded: {Failure}", note.Reason, regarding.Kind, regarding.Name, failure.Message);
                    break;
                }

                await Task.Delay(failure.RetryAfter ?? TimeSpan.FromSeconds(attempt), clock, stoppingToken);
            }
        }
    }

    private Eventsv1Event Build(V1ObjectReference regarding, RepairEventNote note, DateTimeOffset at) =>
        EventObjects.Build(regarding, $"{regarding.Name.ToLowerInvariant()}.repair.{at.UtcTicks:x}{Interlocked.Increment(ref _named):x}",
            new EventContent(note.Type, note.Reason, RepairEventNotes.Action, note.Note), new EventOrigin(ns, reportingInstance, at.UtcDateTime));
}

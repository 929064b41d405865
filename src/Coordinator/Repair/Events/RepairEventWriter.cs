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
/// </summary>
public sealed class RepairEventWriter(KubernetesApi api, string ns, string reportingInstance, TimeProvider clock, ILogger<RepairEventWriter> log)
    : BackgroundService, IRepairEventSink
{
    private const int MaxTries = 5;
    private readonly Channel<(string Node, RepairEventNote Note, DateTimeOffset At)> _queue =
        Channel.CreateBounded<(string, RepairEventNote, DateTimeOffset)>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
    private long _named;

    public void Record(string node, IRepairGovernorEvent recorded)
    {
        if (RepairEventNotes.For(recorded) is { } note)
            _queue.Writer.TryWrite((node, note, clock.GetUtcNow()));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (node, note, at) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            var @event = Build(node, note, at);
            for (var attempt = 1; ; attempt++)
            {
                var answer = await api.CreateEventAsync(@event, stoppingToken);
                if (answer.Failure is not { } failure)
                    break;
                if (attempt >= MaxTries || !failure.IsRetryable)
                {
                    log.LogWarning("Repair event {Reason} for node {Node} not recorded: {Failure}", note.Reason, node, failure.Message);
                    break;
                }

                await Task.Delay(failure.RetryAfter ?? TimeSpan.FromSeconds(attempt), clock, stoppingToken);
            }
        }
    }

    private Eventsv1Event Build(string node, RepairEventNote note, DateTimeOffset at) =>
        EventObjects.Build(EventObjects.Node(node), $"{node}.repair.{at.UtcTicks:x}{Interlocked.Increment(ref _named):x}",
            new EventContent(note.Type, note.Reason, RepairEventNotes.Action, note.Note), new EventOrigin(ns, reportingInstance, at.UtcDateTime));
}

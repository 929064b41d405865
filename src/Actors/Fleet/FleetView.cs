using System.Collections.Immutable;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Fleet;

/// <summary>
/// The fleet read model on each coordinator (DESIGN D6): it projects every tagged NodeHealth event,
/// in journal order, into the state of each node, so every coordinator answers the same list, a
/// node that reported once and stayed quiet included. It resumes from the newest saved
/// <see cref="FleetSnapshot"/> (shared by all coordinators: the projection is the same everywhere),
/// reads what is already in the journal, says it has caught up, then follows new events.
/// </summary>
public sealed class FleetView : ReceiveActor, IWithTimers
{
    public const string SnapshotId = "fleet-view";

    private readonly FleetViewSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, NodeHealthState> _nodes = new(StringComparer.Ordinal);
    private readonly IActorRef _snapshots;
    private long _offset;
    private long _savedOffset;
    private bool _caughtUp;
    private IMaterializer _materializer = null!;

    public FleetView(FleetViewSettings settings)
    {
        _settings = settings;
        _snapshots = Persistence.Instance.Apply(Context.System).SnapshotStoreFor(settings.SnapshotPluginId);

        Receive<LoadSnapshotResult>(result =>
        {
            if (!Timers.IsTimerActive(LoadSnapshotAgain.Instance))
                return; // Answered twice: the first answer started the projection.
            Timers.Cancel(LoadSnapshotAgain.Instance);
            if (result.Snapshot?.Snapshot is FleetSnapshot snapshot)
                Restore(snapshot);
            Project(current: true);
        });
        Receive<LoadSnapshotFailed>(failed =>
        {
            _log.Warning(failed.Cause, "Loading the fleet view's snapshot failed; retrying in {0}", _settings.RetryAfter);
            Timers.StartSingleTimer(LoadSnapshotAgain.Instance, LoadSnapshotAgain.Instance, _settings.RetryAfter);
        });
        // A snapshot store that restarts while initializing may drop the request: ask again rather than wait forever.
        Receive<LoadSnapshotAgain>(_ => LoadSnapshot());
        Receive<StreamStarted>(_ => Sender.Tell(StreamAck.Instance));
        Receive<EventEnvelope>(envelope =>
        {
            Project(envelope);
            Sender.Tell(StreamAck.Instance);
        });
        Receive<CurrentEventsRead>(_ =>
        {
            if (!_caughtUp)
            {
                _log.Info("Fleet view caught up: {0} nodes at journal offset {1}", _nodes.Count, _offset);
                // What was read while catching up may be news to a live client that connected meanwhile: every node once.
                foreach (var (name, node) in _nodes)
                    Context.System.EventStream.Publish(new NodeChanged(name, Summary(node)));
            }

            _caughtUp = true;
            Project(current: false);
        });
        Receive<StreamEnded>(ended =>
        {
            _log.Warning(ended.Cause, "The fleet view's event stream stopped; resuming from offset {0} in {1}", _offset, _settings.RetryAfter);
            Timers.StartSingleTimer(Resume.Instance, Resume.Instance, _settings.RetryAfter);
        });
        Receive<Resume>(_ => Project(current: !_caughtUp));
        Receive<SaveCheckpoint>(_ => Checkpoint());
        Receive<SaveSnapshotSuccess>(saved =>
            _snapshots.Tell(new DeleteSnapshots(SnapshotId, new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1))));
        Receive<SaveSnapshotFailure>(failed => _log.Warning(failed.Cause, "Saving the fleet view at offset {0} failed", failed.Metadata.SequenceNr));
        Receive<DeleteSnapshotsSuccess>(_ => { });
        Receive<DeleteSnapshotsFailure>(failed => _log.Warning(failed.Cause, "Deleting older fleet view snapshots failed"));

        Receive<ListNodes>(_ => Sender.Tell(new NodeList(
            [.. _nodes.Values.OrderBy(n => n.NodeName, StringComparer.Ordinal).Select(Summary)])));
        Receive<FindNode>(find =>
        {
            if (_nodes.ContainsKey(find.NodeName))
                Sender.Tell(new NodeKnown(find.NodeName));
            else
                Journaled(find.NodeName).PipeTo(Sender,
                    success: any => any ? new NodeKnown(find.NodeName) : new NodeUnknown(find.NodeName),
                    failure: _ => new NodeKnown(find.NodeName)); // Cannot tell: let the entity answer.
        });
        Receive<GetStatus>(_ => Sender.Tell(new ViewStatus(_caughtUp, _offset, _nodes.Count)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _materializer = Context.Materializer();
        LoadSnapshot();
        Timers.StartPeriodicTimer(SaveCheckpoint.Instance, SaveCheckpoint.Instance, _settings.CheckpointEvery);
    }

    private void LoadSnapshot()
    {
        _snapshots.Tell(new LoadSnapshot(SnapshotId, SnapshotSelectionCriteria.Latest, long.MaxValue));
        Timers.StartSingleTimer(LoadSnapshotAgain.Instance, LoadSnapshotAgain.Instance, _settings.RetryAfter * 5);
    }

    private void Restore(FleetSnapshot snapshot)
    {
        foreach (var node in snapshot.Nodes.OrEmpty())
            _nodes[node.NodeName] = node;
        _offset = _savedOffset = snapshot.Offset;
        _log.Info("Fleet view resumes from its snapshot at journal offset {0} ({1} nodes)", _offset, _nodes.Count);
    }

    /// <summary>Reads what the journal holds past the offset (current), or follows it as it grows.</summary>
    private void Project(bool current)
    {
        Source<EventEnvelope, NotUsed> events;
        try
        {
            var journal = PersistenceQuery.Get(Context.System).ReadJournalFor<IReadJournal>(_settings.ReadJournalPluginId);
            var from = Offset.Sequence(_offset);
            events = current
                ? ((ICurrentEventsByTagQuery)journal).CurrentEventsByTag(FleetEventTagger.Tag, from)
                : ((IEventsByTagQuery)journal).EventsByTag(FleetEventTagger.Tag, from);
        }
        catch (Exception e)
        {
            Self.Tell(new StreamEnded(e)); // Retried on the timer: a read journal that is not there yet must not crash-loop the view.
            return;
        }

        var completed = current ? (object)CurrentEventsRead.Instance : new StreamEnded(new InvalidOperationException("the live event stream completed"));
        events.RunWith(
            Sink.ActorRefWithAck<EventEnvelope>(Self, StreamStarted.Instance, StreamAck.Instance, completed, e => new StreamEnded(e)),
            _materializer);
    }

    /// <summary>
    /// Whether the journal holds any event of the node: the view may lag a write by its poll interval,
    /// and a node that just reported must not be answered "unknown". One indexed query, no entity started.
    /// </summary>
    private Task<bool> Journaled(string nodeName)
    {
        var journal = (ICurrentEventsByPersistenceIdQuery)PersistenceQuery.Get(Context.System).ReadJournalFor<IReadJournal>(_settings.ReadJournalPluginId);
        return journal.CurrentEventsByPersistenceId(NodeHealthEntity.PersistenceIdOf(nodeName), 0, long.MaxValue)
            .Take(1)
            .RunWith(Sink.Seq<EventEnvelope>(), _materializer)
            .ContinueWith(read => read.Result.Count > 0, TaskContinuationOptions.OnlyOnRanToCompletion);
    }

    private void Project(EventEnvelope envelope)
    {
        if (envelope.Offset is Sequence sequence)
            _offset = Math.Max(_offset, sequence.Value);
        if (envelope.Event is not INodeHealthEvent e)
            return;
        Project(_nodes, e);
        if (_caughtUp) // Live changes only: the journal's past is not news to the live feed.
            Context.System.EventStream.Publish(new NodeChanged(e.NodeName, _nodes.TryGetValue(e.NodeName, out var n) ? Summary(n) : null));
    }

    /// <summary>One event into the fleet's nodes; a node whose state is no longer known (forgotten: its Node gone past the history retention) leaves the list.</summary>
    public static void Project(Dictionary<string, NodeHealthState> nodes, INodeHealthEvent e)
    {
        var known = nodes.TryGetValue(e.NodeName, out var node) ? node : NodeHealthState.Empty(e.NodeName);
        var next = known.Apply(e).WithoutHistory();
        if (next.IsKnown)
            nodes[e.NodeName] = next;
        else
            nodes.Remove(e.NodeName);
    }

    private static NodeSummary Summary(NodeHealthState n) => new(n.NodeName, n.Conditions, n.LastUpdated, n.NodeObjectDeletion?.At, n.HostBootId);

    private void Checkpoint()
    {
        if (_offset <= _savedOffset)
            return;
        _savedOffset = _offset;
        var metadata = new SnapshotMetadata(SnapshotId, _offset, _settings.Clock.GetUtcNow().UtcDateTime);
        _snapshots.Tell(new Akka.Persistence.SaveSnapshot(metadata, new FleetSnapshot(_offset, [.. _nodes.Values])));
    }

    /// <summary>
    /// Published on the local event stream once the view has caught up, for each event it projects: the node's summary
    /// now, null once the node is forgotten.
    /// </summary>
    public sealed record NodeChanged(string NodeName, NodeSummary? Summary) : INoSerializationVerificationNeeded;

    /// <summary>Every node this coordinator knows, by name; replies <see cref="NodeList"/>.</summary>
    public sealed record ListNodes
    {
        public static readonly ListNodes Instance = new();
    }

    public sealed record NodeList(ImmutableArray<NodeSummary> Nodes);

    /// <summary>Has any agent ever reported for this node? Replies <see cref="NodeKnown"/> or <see cref="NodeUnknown"/>.</summary>
    public sealed record FindNode(string NodeName);

    public sealed record NodeKnown(string NodeName);

    /// <summary>Neither the view nor the journal has an event of this node.</summary>
    public sealed record NodeUnknown(string NodeName);

    /// <summary>Replies <see cref="ViewStatus"/>.</summary>
    public sealed record GetStatus
    {
        public static readonly GetStatus Instance = new();
    }

    public sealed record ViewStatus(bool CaughtUp, long Offset, int Nodes);

    private sealed record StreamStarted
    {
        public static readonly StreamStarted Instance = new();
    }

    private sealed record StreamAck
    {
        public static readonly StreamAck Instance = new();
    }

    private sealed record CurrentEventsRead
    {
        public static readonly CurrentEventsRead Instance = new();
    }

    private sealed record StreamEnded(Exception Cause);

    private sealed record Resume
    {
        public static readonly Resume Instance = new();
    }

    private sealed record LoadSnapshotAgain
    {
        public static readonly LoadSnapshotAgain Instance = new();
    }

    private sealed record SaveCheckpoint
    {
        public static readonly SaveCheckpoint Instance = new();
    }
}

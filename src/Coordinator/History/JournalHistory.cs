using Akka;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Health;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Coordinator.History;

/// <summary>
/// The retained history as the journal holds it (DESIGN D6), read with Akka.Persistence.Query: one node's events, every
/// node's events in journal order, the repair governor's records. Nothing here starts an entity.
/// </summary>
public sealed class JournalHistory(ActorSystem system, string readJournalId)
{
    private static readonly TimeSpan SnapshotTimeout = TimeSpan.FromSeconds(10);
    private readonly Lazy<IMaterializer> _materializer = new(() => system.Materializer());

    /// <summary>One node's retained events, oldest first, and its state before the first of them (empty when nothing was trimmed).</summary>
    public async Task<(NodeHealthState Start, List<(long SequenceNr, INodeHealthEvent Event)> Events)> NodeAsync(string node, CancellationToken cancellation)
    {
        var events = new List<(long, INodeHealthEvent)>();
        await foreach (var envelope in Stream(Journal<ICurrentEventsByPersistenceIdQuery>().CurrentEventsByPersistenceId(NodeHealthEntity.PersistenceIdOf(node), 0, long.MaxValue), cancellation))
            if (envelope.Event is INodeHealthEvent e)
                events.Add((envelope.SequenceNr, e));
        var start = events.Count > 0 && events[0].Item1 > 1 ? await SnapshotBefore(node, events[0].Item1) : null;
        return (start ?? NodeHealthState.Empty(node), events);
    }

    /// <summary>Every node's retained events in journal order (so each node's oldest first), or one node's.</summary>
    public IAsyncEnumerable<EventEnvelope> NodeEvents(string? node, CancellationToken cancellation) => node is null
        ? Stream(Journal<ICurrentEventsByTagQuery>().CurrentEventsByTag(FleetEventTagger.Tag, Offset.NoOffset()), cancellation)
        : Stream(Journal<ICurrentEventsByPersistenceIdQuery>().CurrentEventsByPersistenceId(NodeHealthEntity.PersistenceIdOf(node), 0, long.MaxValue), cancellation);

    /// <summary>The repair governor's records, oldest first.</summary>
    public IAsyncEnumerable<EventEnvelope> GovernorEvents(CancellationToken cancellation) =>
        Stream(Journal<ICurrentEventsByPersistenceIdQuery>().CurrentEventsByPersistenceId(RepairGovernor.Id, 0, long.MaxValue), cancellation);

    private T Journal<T>() where T : IReadJournal => (T)PersistenceQuery.Get(system).ReadJournalFor<IReadJournal>(readJournalId);

    private async IAsyncEnumerable<EventEnvelope> Stream(Source<EventEnvelope, NotUsed> source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (var envelope in source.RunAsAsyncEnumerable(_materializer.Value).WithCancellation(cancellation))
            yield return envelope;
    }

    /// <summary>The node's newest snapshot before <paramref name="sequenceNr"/>: the history was trimmed at it.</summary>
    private async Task<NodeHealthState?> SnapshotBefore(string node, long sequenceNr)
    {
        var store = Akka.Persistence.Persistence.Instance.Apply(system).SnapshotStoreFor(null);
        var result = await store.Ask<object>(new LoadSnapshot(NodeHealthEntity.PersistenceIdOf(node), new SnapshotSelectionCriteria(sequenceNr - 1), long.MaxValue), SnapshotTimeout);
        return result is LoadSnapshotResult { Snapshot.Snapshot: NodeHealthState state } ? state : null;
    }
}

using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace NodeHealth.Actors.Health;

/// <summary>
/// History retention (DESIGN D6): events and snapshots are kept for <see cref="NodeHealthSettings.HistoryRetention"/>
/// and trimmed by age in the background, never because a snapshot was taken. The trim point is the newest
/// snapshot older than the retention: every event it covers is older still, and recovery starts from it.
/// </summary>
public sealed partial class NodeHealthEntity
{
    private long _trimmedThrough;

    private void HistoryTrimming()
    {
        Command<TrimHistory>(_ =>
            SnapshotStore.Tell(new LoadSnapshot(PersistenceId,
                new SnapshotSelectionCriteria(long.MaxValue, Now - _settings.HistoryRetention), long.MaxValue)));
        Command<LoadSnapshotResult>(result =>
        {
            if (result.Snapshot?.Metadata is not { } trimPoint || trimPoint.SequenceNr <= _trimmedThrough)
                return;
            _trimmedThrough = trimPoint.SequenceNr;
            _log.Debug("Trimming the history of {0} through event {1} (snapshot of {2:o})", PersistenceId, trimPoint.SequenceNr, trimPoint.Timestamp);
            DeleteMessages(trimPoint.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(trimPoint.SequenceNr - 1));
        });
        Command<LoadSnapshotFailed>(f => _log.Warning(f.Cause, "Looking up the history trim point of {0} failed; retried at the next trim", PersistenceId));
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "Snapshot of {0} failed; the journal still holds every event", PersistenceId));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => _log.Warning(f.Cause, "Trimming the journal of {0} failed; retried at the next trim", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "Deleting old snapshots of {0} failed; retried at the next trim", PersistenceId));
    }

    /// <summary>A first trim at a random point of the interval, so a fleet's entities do not all trim at once.</summary>
    private void ScheduleHistoryTrim()
    {
        if (Timers.IsTimerActive(TrimHistory.Instance))
            return;
        var first = TimeSpan.FromMilliseconds(_settings.HistoryTrimEvery.TotalMilliseconds * Random.Shared.NextDouble());
        Timers.StartPeriodicTimer(TrimHistory.Instance, TrimHistory.Instance, first, _settings.HistoryTrimEvery);
    }

    private sealed record TrimHistory
    {
        public static readonly TrimHistory Instance = new();
    }
}

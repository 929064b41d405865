using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Health;

/// <summary>
/// The node's Kubernetes Node object as the informers and the condition writer report it (see NodeHealthMachine.NodeObject):
/// while it is deleted the entity has no exporter (nothing is written to Kubernetes) and waits out the history retention,
/// then records <see cref="NodeForgotten"/>, deletes every older event and snapshot, and passivates. The tombstone event
/// stays: recovery and the fleet view read it as "start over".
/// </summary>
public sealed partial class NodeHealthEntity
{
    /// <summary>The forget timer wakes at least this often, so a clock change or a long retention never waits on one huge timer.</summary>
    private static readonly TimeSpan LongestForgetWait = TimeSpan.FromHours(1);

    private int _exporters;

    private void NodeObjectCommands()
    {
        Command<ObserveNodeObject>(command =>
        {
            if (!_state.IsKnown)
            {
                PassivateUnknown();
                return;
            }

            var events = _state.Decide(command, Now);
            if (events.IsEmpty)
                return;
            foreach (var e in events)
                LogNodeObject(e);
            PersistAll(events, Applied);
        });
        Command<ReportNodeDeleted>(command =>
        {
            if (!_state.IsKnown)
            {
                PassivateUnknown();
                return;
            }

            if (_state.Decide(command, Now, _settings.HistoryRetention) is not { } deleted)
                return;
            _log.Info("Node {0}: its Node object {1} is gone ({2}): nothing more is written to Kubernetes; its history is kept until {3:o}, then forgotten",
                _state.NodeName, deleted.Uid, deleted.Cause, deleted.ForgetAt);
            Persist(deleted, Applied);
        });
        Command<CheckForget>(_ => ForgetIfDue());
    }

    /// <summary>After recovery and every change: no exporter while the Node is deleted, one again once it is back (true: started, and told the state).</summary>
    private bool FollowNodeObject()
    {
        if (_state.NodeObjectDeletion is not null)
        {
            if (_exporter is { } exporter)
            {
                Context.Stop(exporter);
                _exporter = null;
            }

            ScheduleForget();
            return false;
        }

        Timers.Cancel(CheckForget.Instance);
        if (_exporter is not null || !_state.IsKnown)
            return false;
        StartExporter();
        return true;
    }

    private void ScheduleForget()
    {
        var due = _state.NodeObjectDeletion!.ForgetAt - Now;
        Timers.StartSingleTimer(CheckForget.Instance, CheckForget.Instance,
            due <= TimeSpan.Zero ? TimeSpan.Zero : due < LongestForgetWait ? due : LongestForgetWait);
    }

    private void ForgetIfDue()
    {
        if (_state.DecideForget(Now) is not { } forgotten)
        {
            if (_state.NodeObjectDeletion is not null)
                ScheduleForget();
            return;
        }

        _log.Info("Node {0}: its Node object has been gone since {1:o}, past the history retention: forgetting the node",
            _state.NodeName, _state.NodeObjectDeletion!.At);
        Persist(forgotten, e =>
        {
            Applied(e);
            var before = LastSequenceNr - 1;
            DeleteMessages(before);
            DeleteSnapshots(new SnapshotSelectionCriteria(before));
            Context.Parent.Tell(new Passivate(StopEntity.Instance));
        });
    }

    /// <summary>A node no agent reported for: nothing to record, and remember-entities must not keep it alive.</summary>
    private void PassivateUnknown() => Context.Parent.Tell(new Passivate(StopEntity.Instance));

    private void LogNodeObject(INodeHealthEvent e)
    {
        switch (e)
        {
            case NodeObjectObserved observed when _state.NodeObjectDeletion is not null || !_state.NodeObjectUids.OrEmpty().IsEmpty:
                _log.Info("Node {0}: its Node object was re-created (uid {1}): writing to Kubernetes resumes", _state.NodeName, observed.Uid);
                break;
            case FaultsCleared cleared:
                _log.Info("Node {0}: {1}; cleared {2}", _state.NodeName, cleared.Cause, string.Join(", ", cleared.Faults.Select(f => $"{f.Condition}/{f.Reason}")));
                break;
        }
    }

    private sealed record CheckForget
    {
        public static readonly CheckForget Instance = new();
    }
}

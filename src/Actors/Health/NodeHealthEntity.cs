using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Health;

/// <summary>
/// One per Kubernetes node, event-sourced. A thin shell over <see cref="NodeHealthMachine"/>: it
/// persists, applies, replies after the write, snapshots, and trims history older than the retention.
/// It also holds the agent's lease: every message from the agent renews it, and when it runs out
/// the entity records the silence (the machine turns monitored conditions Unknown).
/// The fleet read model follows the entity's tagged events; the entity publishes nothing itself.
/// </summary>
public sealed partial class NodeHealthEntity : ReceivePersistentActor, IWithTimers
{
    public const int SnapshotEvery = 100;

    private readonly NodeHealthSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private NodeHealthState _state;
    private DateTime _agentLastHeard;
    private IActorRef? _exporter;

    public NodeHealthEntity(string nodeName, NodeHealthSettings settings)
    {
        _settings = settings;
        _state = NodeHealthState.Empty(nodeName);
        PersistenceId = PersistenceIdOf(nodeName);

        Recover<SnapshotOffer>(offer => _state = (NodeHealthState)offer.Snapshot);
        Recover<INodeHealthEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            // Whatever the agent said before this incarnation, it gets a whole lease to find us again
            // (after a coordinator restart or a shard moving, every agent reconnects).
            if (_state.IsKnown && _state.AgentSilence is null)
                RenewLease();
            ScheduleQuietCheck();
            if (_state.IsKnown)
                ScheduleHistoryTrim();
            FollowNodeObject();
        });

        Command<RecordFindings>(command => Handle(AgentHeard(command)));
        Command<ReportMonitors>(command => Handle(AgentHeard(command)));
        Command<ReportHostBoot>(command => Handle(AgentHeard(command)));
        Command<ClearFault>(Handle);
        Command<RenewAgentLease>(command =>
        {
            if (!_state.IsKnown)
                return;
            AgentHeard(command);
            // Sent by the agent's stream: it is attached again (after a failover the entity has none until then).
            AttachStream(Sender);
        });
        Command<CheckLease>(_ => CheckLeaseNow());
        Command<CheckQuiet>(_ =>
        {
            var cleared = _state.DecideQuiet(Now);
            if (cleared.IsEmpty)
                ScheduleQuietCheck();
            else
                PersistAll(cleared, Applied);
        });
        Command<AdoptConditions>(command =>
        {
            if (!_state.IsKnown || _state.Decide(command, _settings.CurrentCatalog, Now) is not { } adopted)
                return;
            if (!adopted.Conditions.IsDefaultOrEmpty)
                _log.Info("Node {0}: adopted from its Node object {1}", _state.NodeName, string.Join(", ", adopted.Conditions.Select(c => $"{c.Condition}/{c.Reason} (False since {c.Since:o})")));
            Persist(adopted, Applied);
        });
        Command<GetNodeHealth>(Handle);
        Command<StopEntity>(_ => Context.Stop(Self));
        HistoryTrimming();
        NodeObjectCommands();
        AgentCommands();
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static string PersistenceIdOf(string nodeName) => "node-health-" + nodeName;

    private DateTime Now => _settings.Clock.GetUtcNow().UtcDateTime;

    private void Handle(RecordFindings command)
    {
        var (reply, events) = _state.DecideDelivery(command, _settings.CurrentCatalog, Now);
        var sender = Sender;
        if (events.IsEmpty)
        {
            sender.Tell(reply);
            return;
        }

        foreach (var cleared in events.OfType<FaultsCleared>())
            _log.Info("Node {0}: {1}; cleared {2}", _state.NodeName, cleared.Cause, string.Join(", ", cleared.Faults.Select(f => $"{f.Condition}/{f.Reason}")));
        PersistAll(events, e =>
        {
            Applied(e);
            Metrics.HealthMetrics.Recorded(e);
            if (ReferenceEquals(e, events[^1]))
                sender.Tell(reply);
        });
    }

    private void Handle(ReportMonitors command)
    {
        var reported = _state.Decide(command, Now);
        var sender = Sender;
        var ack = new MonitorsAck(_state.NodeName);
        if (reported is null)
        {
            sender.Tell(ack);
            return;
        }

        Persist(reported, e =>
        {
            Applied(e);
            sender.Tell(ack);
        });
    }

    private void Handle(ReportHostBoot command)
    {
        var events = _state.Decide(command, Now);
        var sender = Sender;
        var ack = new MonitorsAck(_state.NodeName);
        if (events.IsEmpty)
        {
            sender.Tell(ack);
            return;
        }

        if (events.OfType<FaultsCleared>().FirstOrDefault() is { } cleared)
            _log.Info("Node {0}: {1}; cleared {2}", _state.NodeName, cleared.Cause, string.Join(", ", cleared.Faults.Select(f => $"{f.Condition}/{f.Reason}")));
        PersistAll(events, e =>
        {
            Applied(e);
            if (ReferenceEquals(e, events[^1]))
                sender.Tell(ack);
        });
    }

    private void Handle(ClearFault command)
    {
        if (!_state.IsKnown)
        {
            Handle(new GetNodeHealth(command.NodeName));
            return;
        }

        var sender = Sender;
        if (_state.Decide(command, Now) is not { } cleared)
        {
            sender.Tell(new FaultNotActive(command.NodeName, command.Condition, command.Reason));
            return;
        }

        _log.Info("Node {0}: {1} {2}", _state.NodeName, string.Join(", ", cleared.Faults.Select(f => $"{f.Condition}/{f.Reason}")), cleared.Cause);
        Persist(cleared, e =>
        {
            Applied(e);
            sender.Tell(_state);
        });
    }

    private void Handle(GetNodeHealth query)
    {
        if (_state.IsKnown)
        {
            Sender.Tell(_state);
            return;
        }

        Sender.Tell(new NodeNotFound(query.NodeName));
        // Nothing to keep: do not let remember-entities resurrect a node that was only asked about.
        // A command of our own, not a PoisonPill, so a report that raced in is persisted and answered first.
        Context.Parent.Tell(new Passivate(StopEntity.Instance));
    }

    /// <summary>Renews the lease, ending a recorded silence first, so that the command's own events follow the return.</summary>
    private T AgentHeard<T>(T command)
    {
        if (_state.DecideAgentHeard(Now) is { } returned)
        {
            _log.Info("The agent of node {0} is reporting again", _state.NodeName);
            Persist(returned, Applied);
        }

        RenewLease();
        return command;
    }

    /// <summary>Cheap on the hot path: a running timer is left alone and, when it fires, waits out whatever remains.</summary>
    private void RenewLease()
    {
        _agentLastHeard = Now;
        if (!Timers.IsTimerActive(CheckLease.Instance))
            Timers.StartSingleTimer(CheckLease.Instance, CheckLease.Instance, _settings.AgentLease);
    }

    private void CheckLeaseNow()
    {
        if (_state.DecideLease(_agentLastHeard, _settings.AgentLease, Now) is { } expired)
        {
            _log.Warning("The agent of node {0} has been silent since {1:o}, past its {2} lease: its conditions turn Unknown",
                _state.NodeName, _agentLastHeard, _settings.AgentLease);
            Persist(expired, Applied);
            return;
        }

        var remaining = _agentLastHeard + _settings.AgentLease - Now;
        if (_state.AgentSilence is null && remaining > TimeSpan.Zero)
            Timers.StartSingleTimer(CheckLease.Instance, CheckLease.Instance, remaining); // Heard from since the timer started.
    }

    /// <summary>Wakes up when the next quiet fault is due; a recurrence moves the deadline, and every change reschedules.</summary>
    private void ScheduleQuietCheck()
    {
        if (_state.NextQuietDeadline() is { } deadline)
            Timers.StartSingleTimer(CheckQuiet.Instance, CheckQuiet.Instance, deadline > Now ? deadline - Now : TimeSpan.Zero);
        else
            Timers.Cancel(CheckQuiet.Instance);
    }

    private void Applied(INodeHealthEvent e)
    {
        var wasKnown = _state.IsKnown;
        _state = _state.Apply(e);
        ScheduleQuietCheck();
        if (!wasKnown)
            ScheduleHistoryTrim();
        if (LastSequenceNr % SnapshotEvery == 0)
            SaveSnapshot(_state);
        if (!FollowNodeObject())
            _exporter?.Tell(_state);
    }

    /// <summary>
    /// After recovery, never during it: the exporter writes what the state is now, not each step of its history.
    /// Numbered: a Node re-created after a deletion gets a new exporter while the stopped one may still be going.
    /// </summary>
    private void StartExporter()
    {
        if (_settings.Exporter is not { } exporter)
            return;
        _exporter = Context.ActorOf(exporter.ExporterFor(_state.NodeName), $"exporter-{++_exporters}");
        if (_state.IsKnown)
            _exporter.Tell(_state);
    }

    private sealed record StopEntity
    {
        public static readonly StopEntity Instance = new();
    }

    private sealed record CheckLease
    {
        public static readonly CheckLease Instance = new();
    }

    private sealed record CheckQuiet
    {
        public static readonly CheckQuiet Instance = new();
    }
}

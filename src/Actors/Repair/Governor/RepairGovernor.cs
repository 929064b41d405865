using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Repair.Governor;

/// <summary>
/// What the governor runs with: the policy in force (reloaded by <see cref="RepairPolicyWatcher"/>), the catalog in
/// force, the clock, how often it decides, the Node objects' labels (none without Kubernetes), and what carries
/// repairs out (null: Repair:Mode On is not possible, the governor only decides).
/// </summary>
public sealed record RepairGovernorSettings(RepairPolicyHolder Policies, Func<ReasonCatalog> Catalog, TimeProvider Clock)
{
    public static readonly TimeSpan DefaultDecideEvery = TimeSpan.FromSeconds(30);

    public TimeSpan DecideEvery { get; init; } = DefaultDecideEvery;
    public INodeLabelSource? Labels { get; init; }
    public RepairExecutors? Executors { get; init; }
    public IRepairEventSink? Events { get; init; }
    public TimeSpan FleetTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int SnapshotEvery { get; init; } = 100;

    /// <summary>Decide once right after recovery rather than a whole interval later (tests turn it off to drive each round).</summary>
    public bool DecideOnStart { get; init; } = true;
}

/// <summary>
/// The repair governor (DESIGN §6), one per cluster (a singleton on the coordinators), event-sourced. Every
/// <see cref="RepairGovernorSettings.DecideEvery"/> it reads the fleet view, runs <see cref="RepairDecider"/> on the
/// policy in force and persists what changed: breaker trips and closes, each decision whose verdict or explanation
/// differs from the node's latest, withdrawals. In On it grants each Start under the ledger and runs the repair step
/// by step (RepairGovernor.Runs.cs); operators pause, resume, cancel and approve (RepairGovernor.Operators.cs). It answers
/// <see cref="GetRepairs"/> with the latest decision per node and the repairs. In Off it decides nothing.
/// </summary>
public sealed partial class RepairGovernor : ReceivePersistentActor, IWithTimers
{
    public const string Id = "repair-governor";

    private readonly RepairGovernorSettings _settings;
    private readonly IActorRef _fleet;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _waiting = [];
    private readonly Dictionary<string, string> _progress = new(StringComparer.Ordinal);
    private GovernorState _state = GovernorState.Empty;
    private ImmutableArray<RepairDecision>? _round; // While a round persists: its decisions come after its breaker changes.
    private bool _deciding;
    private bool _again;
    private int _sinceSnapshot;

    public RepairGovernor(RepairGovernorSettings settings, IActorRef fleet)
    {
        _settings = settings;
        _fleet = fleet;

        Recover<SnapshotOffer>(offer => _state = GovernorState.FromSnapshot((RepairGovernorState)offer.Snapshot));
        Recover<IRepairGovernorEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            _log.Info("Repair governor ({0}, policy {1}) recovered {2} latest decision(s); deciding every {3}",
                _settings.Policies.Current.Mode, _settings.Policies.Current.Origin, _state.Latest.Count, _settings.DecideEvery);
            Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _settings.DecideEvery);
            Metrics.RepairMetrics.Publish(_state, _settings);
            ResumeRuns();
            if (_settings.DecideOnStart)
                Self.Tell(Tick.Instance);
        });

        Command<Tick>(_ => Start());
        Command<DecideNow>(_ =>
        {
            _waiting.Add(Sender);
            Start();
        });
        Command<FleetRead>(read => Decide(read.Nodes));
        Command<FleetReadFailed>(failed =>
        {
            _log.Warning("Repair governor could not read the fleet view ({0}); deciding at the next round", failed.Cause.Message);
            Finish(0);
        });
        Command<FleetNotCaughtUp>(_ =>
        {
            // Expected after a start or a failover, while the fleet view reads the journal.
            _log.Info("Repair governor waits for the fleet view to read the whole journal; deciding at the next round");
            Finish(0);
        });
        Command<GetRepairs>(query => Sender.Tell(List(query)));
        Command<RepairOperatorCommand>(Operate);
        Command<RepairStepRunner.StepEnded>(StepEnded);
        Command<Continue>(next => Advance(next.RepairId));
        Command<RepairStepRunner.StepRetrying>(retrying => _progress[retrying.RepairId] = $"{retrying.Step} answered Retry (attempt {retrying.Attempts}): {retrying.Detail}");
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => _log.Warning(failed.Cause, "Saving the repair governor's snapshot failed"));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => _log.Warning(failed.Cause, "Deleting older repair governor snapshots failed"));
    }

    public override string PersistenceId => Id;

    protected override void PostStop()
    {
        Metrics.RepairMetrics.Forget(_settings); // The singleton left this coordinator: so do its gauges.
        base.PostStop();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private void Start()
    {
        if (_settings.Policies.Current.Mode == RepairMode.Off)
        {
            Reply(0); // Conditions only: repair is left to EKS or Karpenter.
            return;
        }

        if (_deciding)
        {
            _again = true; // Whoever asked now gets a round that starts after they asked.
            return;
        }

        _deciding = true;
        ReadFleet(_fleet, _settings.FleetTimeout).PipeTo(Self, failure: e => new FleetReadFailed(e));
    }

    /// <summary>The fleet view's nodes once it has read the whole journal: deciding on part of the fleet would withdraw the rest.</summary>
    private static async Task<object> ReadFleet(IActorRef fleet, TimeSpan timeout)
    {
        var status = await fleet.Ask<FleetView.ViewStatus>(FleetView.GetStatus.Instance, timeout);
        if (!status.CaughtUp)
            return FleetNotCaughtUp.Instance;
        var list = await fleet.Ask<FleetView.NodeList>(FleetView.ListNodes.Instance, timeout);
        return new FleetRead(list.Nodes);
    }

    private void Decide(ImmutableArray<NodeSummary> nodes)
    {
        var now = _settings.Clock.GetUtcNow();
        var policy = _settings.Policies.Current;
        var fleet = FleetInput.From(nodes, _settings.Labels);
        var round = RepairDecider.Decide(policy, _settings.Catalog(), fleet, _state.Ledger, now);
        var events = _state.Changes(round, fleet.Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal), now)
            .AddRange(Verifications(fleet, now))
            .AddRange(Grants(round, now));
        if (_state.Forgetting(policy, now) is { } forgotten)
            events = events.Add(forgotten);
        if (events.IsEmpty)
        {
            Finish(0);
            return;
        }

        _round = round.Decisions;
        PersistAll(events, Record);
        DeferAsync(events.Length, recorded =>
        {
            _round = null;
            // Advancing may persist again: as a message of its own, never from inside this handler.
            foreach (var repair in events.OfType<RepairStarted>().Select(s => s.RepairId).Concat(events.OfType<RepairStepDone>().Select(d => d.RepairId)))
                Self.Tell(new Continue(repair));
            Finish(recorded);
        });
    }

    /// <summary>Folds a persisted event in, says what it means in the log, and snapshots now and then.</summary>
    private void Record(IRepairGovernorEvent e)
    {
        _state = _state.Apply(e);
        Metrics.RepairMetrics.Recorded(e, _state, _settings);
        Announce(e);
        if (_settings.Events is { } events && NodeOf(e) is { } node)
            events.Record(node, e);
        else if (_settings.Events is { } sink && Concerning(e) is { } nodes)
            sink.RecordConcerning(nodes, e);
        if (++_sinceSnapshot >= _settings.SnapshotEvery)
        {
            _sinceSnapshot = 0;
            SaveSnapshot(_state.ToSnapshot());
        }
    }

    private void Finish(int recorded)
    {
        _deciding = false;
        if (_again)
        {
            _again = false;
            Start();
            return;
        }

        Reply(recorded);
    }

    private void Reply(int recorded)
    {
        foreach (var asker in _waiting)
            asker.Tell(new RoundDecided(recorded));
        _waiting.Clear();
    }

    private void Announce(IRepairGovernorEvent e)
    {
        switch (e)
        {
            case RepairDecisionRecorded d when d.Verdict is nameof(RepairVerdict.Start) or nameof(RepairVerdict.Deny):
                _log.Info("Repair decision{0} for {1}: {2}{3} {4} — {5}", d.DryRun ? " (dry run, nothing is done)" : "", d.Node, d.Verdict,
                    d.Denial == nameof(Denial.None) ? "" : $" ({d.Denial})", d.Action, d.Explanation);
                break;
            case RepairZoneTripped t:
                _log.Warning("Repair: the storm breaker of zone {0} tripped: {1}", t.Zone, t.Cause);
                break;
            case RepairZoneClosed c:
                _log.Info("Repair: the storm breaker of zone {0} closed: {1}", c.Zone, c.Cause);
                break;
            case RepairStarted started:
                _log.Warning("Repair {0} started: {1} of {2} for {3} ({4})", started.RepairId, started.Action, started.Node, started.Condition, started.Reason);
                break;
            case RepairStepDone step:
                _log.Info("Repair {0}: {1} done: {2}", step.RepairId, step.Step, step.Detail);
                break;
            case RepairEnded end:
                _log.Warning("Repair {0} ended {1}{2}: {3}", end.RepairId, end.Outcome, end.By is { Length: > 0 } by ? $" by {by}" : "", end.Detail);
                break;
            case RepairPausedByOperator paused:
                _log.Warning("Repair paused by {0}: {1}", paused.By, paused.Note);
                break;
            case RepairResumedByOperator resumed:
                _log.Warning("Repair resumed by {0}", resumed.By);
                break;
            case RepairApprovedByOperator approved:
                _log.Warning("Repair: {0} of {1} approved by {2}{3}", approved.Action, approved.Node, approved.By, approved.Note is { Length: > 0 } note ? $": {note}" : "");
                break;
            case RepairNodePausedByOperator paused:
                _log.Warning("Repair of {0} paused by {1}{2}", paused.Node, paused.By, paused.Note is { Length: > 0 } why ? $": {why}" : "");
                break;
            case RepairNodeResumedByOperator resumed:
                _log.Warning("Repair of {0} resumed by {1}", resumed.Node, resumed.By);
                break;
            case OldRepairsForgotten forgotten:
                _log.Info("Repair ledger: forgot the finished repairs that started before {0:u} (each node's latest is kept)", forgotten.Before);
                break;
        }
    }

    private RepairList List(GetRepairs query)
    {
        var policies = _settings.Policies;
        var mode = policies.Current.Mode;
        ImmutableArray<RepairDecisionRecorded> decisions = mode == RepairMode.Off ? [] : _state.Latest.Values
            .Where(d => string.IsNullOrEmpty(query.Node) || d.Node == query.Node)
            .OrderBy(d => d.Node, StringComparer.Ordinal)
            .ToImmutableArray();
        ImmutableArray<RepairRunState> runs = [.. _state.Runs.Values
            .Where(r => string.IsNullOrEmpty(query.Node) || r.Started.Node == query.Node)
            .OrderByDescending(r => r.Started.RecordedAt).ThenBy(r => r.Started.RepairId, StringComparer.Ordinal)];
        var pause = _state.Ledger.Pause is { } p ? new RepairPauseState(p.At.UtcDateTime, p.By, p.Note) : null;
        ImmutableArray<RepairProgress> progress = [.. runs.Where(r => r.Ended is null && _progress.ContainsKey(r.Started.RepairId))
            .Select(r => new RepairProgress(r.Started.RepairId, _progress[r.Started.RepairId]))];
        var snapshot = _state.ToSnapshot();
        return new RepairList(mode.ToString(), policies.Current.Origin, policies.Problem ?? "", decisions, runs, pause, progress, snapshot.Zones,
            [.. snapshot.Approvals.Where(a => string.IsNullOrEmpty(query.Node) || a.Node == query.Node)],
            [.. snapshot.PausedNodes.Where(p => string.IsNullOrEmpty(query.Node) || p.Node == query.Node)]);
    }

    /// <summary>Decide now and reply <see cref="RoundDecided"/> once what changed is persisted (the periodic round, on demand).</summary>
    public sealed record DecideNow
    {
        public static readonly DecideNow Instance = new();
    }

    public sealed record RoundDecided(int Recorded);

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record FleetRead(ImmutableArray<NodeSummary> Nodes);

    /// <summary>Go on with a repair after what it did was persisted.</summary>
    private sealed record Continue(string RepairId);

    private sealed record FleetReadFailed(Exception Cause);

    private sealed record FleetNotCaughtUp
    {
        public static readonly FleetNotCaughtUp Instance = new();
    }
}

using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using NodeHealth.Actors.Fleet;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Coordinator.Api.Live;

/// <summary>
/// Turns this coordinator's fleet view changes (local event stream) and the repair governor's records (published
/// cluster-wide by <see cref="RepairChangesPublisher"/>) into live events. A node's changes are folded per flush
/// interval: at ingest rates one event per finding would flood every client. A repair's record is sent as the whole
/// repair, read from the governor.
/// </summary>
public sealed class LiveFeedRelay : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private readonly LiveFeed _feed;
    private readonly LiveViews _views;
    private readonly IActorRef _fleet;
    private readonly IActorRef _governor;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, Contracts.Health.NodeSummary?> _changed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _repairs = new(StringComparer.Ordinal);
    private bool _readingRepairs;

    public LiveFeedRelay(LiveFeed feed, LiveViews views, IActorRef fleet, IActorRef governor)
    {
        _feed = feed;
        _views = views;
        _fleet = fleet;
        _governor = governor;

        Receive<FleetView.NodeChanged>(changed =>
        {
            _changed[changed.NodeName] = changed.Summary;
            if (!Timers.IsTimerActive(Flush.Instance))
                Timers.StartSingleTimer(Flush.Instance, Flush.Instance, FlushEvery);
        });
        Receive<Flush>(_ =>
        {
            foreach (var (name, summary) in _changed.OrderBy(c => c.Key, StringComparer.Ordinal))
                Publish(_views.Node(name, summary));
            _changed.Clear();
        });
        Receive<RepairDecisionRecorded>(d => Publish(_views.Decision(d)));
        Receive<RepairDecisionWithdrawn>(w => Publish(_views.Withdrawn(w)));
        Receive<RepairApprovedByOperator>(a => Publish(_views.Approval(a)));
        Receive<RepairNodePausedByOperator>(p => Publish(_views.NodePaused(p)));
        Receive<RepairNodeResumedByOperator>(r => Publish(_views.NodeResumed(r)));
        Receive<RepairStarted>(s => ReadRepair(s.RepairId));
        Receive<RepairStepDone>(d => ReadRepair(d.RepairId));
        Receive<RepairEnded>(e => ReadRepair(e.RepairId));
        Receive<RepairsRead>(read =>
        {
            _readingRepairs = false;
            foreach (var run in read.List.Runs.OrEmpty().Where(r => _repairs.Contains(r.Started.RepairId)))
                Publish(_views.Repair(run, read.List.Progress.OrEmpty().FirstOrDefault(p => p.RepairId == run.Started.RepairId)?.Detail));
            _repairs.Clear();
        });
        Receive<RepairsUnread>(failed =>
        {
            _readingRepairs = false;
            _log.Warning("The live feed could not read repairs {0} from the governor ({1})", string.Join(", ", _repairs), failed.Cause.Message);
            _repairs.Clear();
        });
        Receive<ReadCurrent>(_ => Current().PipeTo(Sender));
        Receive<SubscribeAck>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(FleetView.NodeChanged));
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(RepairChangesPublisher.Topic, Self));
    }

    private void Publish(LiveItem item) => _feed.Publish(item.Type, item.Data);

    /// <summary>One read of the governor at a time; the repairs recorded meanwhile are sent from it too.</summary>
    private void ReadRepair(string repairId)
    {
        _repairs.Add(repairId);
        if (_readingRepairs)
            return;
        _readingRepairs = true;
        _governor.Ask<RepairList>(new GetRepairs(), AskTimeout)
            .PipeTo(Self, success: list => new RepairsRead(list), failure: e => new RepairsUnread(e));
    }

    /// <summary>Every node of the fleet view, every latest decision, every repair the governor remembers, the approvals not used yet and the paused nodes.</summary>
    private async Task<IReadOnlyList<LiveItem>> Current()
    {
        var items = new List<LiveItem>();
        var nodes = await _fleet.Ask<FleetView.NodeList>(FleetView.ListNodes.Instance, AskTimeout);
        items.AddRange(nodes.Nodes.Select(n => _views.Node(n.NodeName, n)));
        try
        {
            var repairs = await _governor.Ask<RepairList>(new GetRepairs(), AskTimeout);
            items.AddRange(repairs.Decisions.OrEmpty().Select(_views.Decision));
            items.AddRange(repairs.Runs.OrEmpty().Select(r => _views.Repair(r, repairs.Progress.OrEmpty().FirstOrDefault(p => p.RepairId == r.Started.RepairId)?.Detail)));
            items.AddRange(repairs.Approvals.Select(_views.Approval));
            items.AddRange(repairs.PausedNodes.Select(_views.NodePaused));
        }
        catch (AskTimeoutException)
        {
            // The governor is moving (failover): the nodes are still worth sending.
        }

        return items;
    }

    /// <summary>Replies the current state as live items (<see cref="IReadOnlyList{LiveItem}"/>).</summary>
    public sealed record ReadCurrent
    {
        public static readonly ReadCurrent Instance = new();
    }

    private sealed record Flush
    {
        public static readonly Flush Instance = new();
    }

    private sealed record RepairsRead(RepairList List);

    private sealed record RepairsUnread(Exception Cause);
}

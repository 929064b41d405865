using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using k8s.Models;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Coordinator.Kubernetes.Conditions;

/// <summary>How a node's conditions are written: coalescing, heartbeat, retries.</summary>
public sealed record ConditionWriterSettings(KubernetesApi Api, TimeProvider Clock)
{
    /// <summary>States arriving within this window after a change go out in the same PATCH.</summary>
    public TimeSpan Coalesce { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>lastHeartbeatTime is refreshed this often even when nothing changed (node-problem-detector's habit).</summary>
    public TimeSpan HeartbeatEvery { get; init; } = TimeSpan.FromMinutes(5);

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}

/// <summary>
/// The one writer of one node's conditions, a child of its entity. It first reads what the Node
/// carries of ours, then PATCHes (strategic merge, our types only) whatever differs from the
/// entity's state, coalescing bursts and retrying with jittered backoff. After a restart or a shard
/// move it reads the same conditions back and writes nothing: transition times come from the state.
/// A 404 means the Node was deleted: writing stops, and the entity hears it (it keeps its history, then forgets the node).
/// The first read of a Node the entity never met lets the entity adopt our conditions it carries False.
/// </summary>
public sealed class NodeConditionWriter : ReceiveActor, IWithTimers
{
    private readonly string _nodeName;
    private readonly ConditionWriterSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ImmutableArray<PublishedCondition> _desired = [];
    private ImmutableArray<PublishedCondition>? _onServer;
    private bool _busy;
    private bool _heartbeatDue;
    private bool _gone;
    private bool _nodeObjectRead = true;
    private bool _awaitingAdoption;
    private int _attempt;
    private string _uid = "";

    public NodeConditionWriter(string nodeName, ConditionWriterSettings settings)
    {
        _nodeName = nodeName;
        _settings = settings;
        Receive<NodeHealthState>(state =>
        {
            _desired = PublishedCondition.From(state);
            _nodeObjectRead = state.NodeObjectRead;
            _awaitingAdoption &= !state.NodeObjectRead;
            SoonFlush();
        });
        Receive<Flush>(_ => FlushNow());
        Receive<Heartbeat>(_ =>
        {
            _heartbeatDue = true;
            FlushNow();
        });
        Receive<Read>(Handle);
        Receive<Written>(Handle);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string nodeName, ConditionWriterSettings settings) =>
        Akka.Actor.Props.Create(() => new NodeConditionWriter(nodeName, settings));

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(Heartbeat.Instance, Heartbeat.Instance, _settings.HeartbeatEvery);

    private DateTime Now => _settings.Clock.GetUtcNow().UtcDateTime;

    /// <summary>A change starts the window; later changes ride along rather than push it back.</summary>
    private void SoonFlush()
    {
        if (!_gone && !Timers.IsTimerActive(Flush.Instance))
            Timers.StartSingleTimer(Flush.Instance, Flush.Instance, _settings.Coalesce);
    }

    private void FlushNow()
    {
        if (_busy || _gone || _awaitingAdoption || _desired.IsEmpty)
            return;
        if (_onServer is not { } onServer)
        {
            _busy = true;
            _settings.Api.GetNodeAsync(_nodeName, CancellationToken.None).PipeTo(Self, success: answer => new Read(answer));
            return;
        }

        var send = _heartbeatDue ? _desired : PublishedCondition.Changed(_desired, onServer);
        if (send.IsEmpty)
            return;
        _busy = true;
        _settings.Api.PatchNodeStatusAsync(_nodeName, PublishedCondition.Patch(send, Now), CancellationToken.None)
            .PipeTo(Self, success: answer => new Written(send, answer));
    }

    private void Handle(Read read)
    {
        _busy = false;
        if (read.Answer.Value is { } node)
        {
            _attempt = 0;
            _onServer = PublishedCondition.From(node);
            _uid = node.Metadata?.Uid ?? "";
            if (!_nodeObjectRead)
                AskToAdopt(_onServer.Value);
            FlushNow();
            return;
        }

        Failed(read.Answer.Failure!, "reading");
    }

    /// <summary>
    /// The entity meets this Node for the first time: it decides what to adopt of our conditions the
    /// Node carries False, and nothing is written until its answer (a new state) comes back.
    /// </summary>
    private void AskToAdopt(ImmutableArray<PublishedCondition> onServer)
    {
        _awaitingAdoption = true;
        Context.Parent.Tell(new AdoptConditions(_nodeName,
        [
            .. onServer.Where(c => c.Status == nameof(ConditionStatus.False))
                .Select(c => new AdoptedCondition(Enum.Parse<ConditionType>(c.Type), c.Reason, c.Message, c.LastTransitionTime)),
        ]));
    }

    private void Handle(Written written)
    {
        _busy = false;
        if (written.Answer.Succeeded)
        {
            _attempt = 0;
            _heartbeatDue = false;
            var sent = written.Conditions;
            _onServer = [.. (_onServer ?? []).Where(c => sent.All(w => w.Type != c.Type)), .. sent];
            if (!PublishedCondition.Changed(_desired, _onServer.Value).IsEmpty)
                SoonFlush();
            return;
        }

        Failed(written.Answer.Failure!, "writing the conditions of");
    }

    private void Failed(ApiFailure failure, string doing)
    {
        if (failure.IsNotFound)
        {
            _gone = true;
            Timers.CancelAll();
            _log.Info("Node {0} is not in Kubernetes (404): its conditions are no longer written; its history stays", _nodeName);
            Context.Parent.Tell(new ReportNodeDeleted(_nodeName, _uid, NodeHealthMachine.DeletedByNotFound));
            return;
        }

        if (!failure.IsRetryable)
        {
            // Retrying the same request would fail the same way (permission, validation): wait for the next change or heartbeat.
            _log.Error("Kubernetes refused {0} node {1}: {2}", doing, _nodeName, failure);
            return;
        }

        _attempt++;
        var delay = _settings.Retry.Delay(_attempt, failure.RetryAfter, Random.Shared.NextDouble());
        _log.Warning("Kubernetes failed {0} node {1} ({2}); retry {3} in {4:0.###}s", doing, _nodeName, failure, _attempt, delay.TotalSeconds);
        Timers.StartSingleTimer(Flush.Instance, Flush.Instance, delay);
    }

    private sealed record Read(ApiAnswer<V1Node> Answer);

    private sealed record Written(ImmutableArray<PublishedCondition> Conditions, ApiAnswer<V1Node> Answer);

    private sealed record Flush
    {
        public static readonly Flush Instance = new();
    }

    private sealed record Heartbeat
    {
        public static readonly Heartbeat Instance = new();
    }
}

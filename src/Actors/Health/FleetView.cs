using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Health;

/// <summary>
/// The fleet read model on each coordinator: the latest summary every entity published. Fleet-wide
/// questions are answered here, never by asking every entity.
/// </summary>
public sealed class FleetView : ReceiveActor
{
    public const string SummaryTopic = "node-summaries";

    private readonly Dictionary<string, NodeSummary> _nodes = new(StringComparer.Ordinal);

    public FleetView()
    {
        Receive<NodeSummary>(summary =>
        {
            if (!_nodes.TryGetValue(summary.NodeName, out var known) || known.LastUpdated <= summary.LastUpdated)
                _nodes[summary.NodeName] = summary;
        });
        Receive<ListNodes>(_ => Sender.Tell(new NodeList([.. _nodes.Values.OrderBy(n => n.NodeName, StringComparer.Ordinal)])));
        Receive<SubscribeAck>(_ => { });
    }

    protected override void PreStart() =>
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(SummaryTopic, Self));

    /// <summary>Asks this coordinator's view for every known node; replies <see cref="NodeList"/>.</summary>
    public sealed record ListNodes
    {
        public static readonly ListNodes Instance = new();
    }

    public sealed record NodeList(ImmutableArray<NodeSummary> Nodes);
}

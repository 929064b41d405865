using System.Collections.Immutable;
using Akka.Actor;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Contracts.Health;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

/// <summary>What the fleet view lists now for the governor tests, and the Node objects' labels (pool, zone).</summary>
internal sealed class GovernorFleet : INodeLabelSource
{
    public ImmutableArray<NodeSummary> Nodes { get; private set; } = [];

    private ImmutableDictionary<string, NodeLabels> _labels = ImmutableDictionary<string, NodeLabels>.Empty;

    public NodeLabels? Of(string node) => _labels.GetValueOrDefault(node);

    public void Set(params (string Name, string Pool, string Zone, ConditionState[] Conditions)[] nodes)
    {
        Nodes = [.. nodes.Select(n => new NodeSummary(n.Name, [.. n.Conditions], T0.UtcDateTime))];
        _labels = nodes.ToImmutableDictionary(n => n.Name, n => new NodeLabels(
            ImmutableDictionary<string, string>.Empty.Add("eks.amazonaws.com/nodegroup", n.Pool).Add("topology.kubernetes.io/zone", n.Zone),
            ImmutableDictionary<string, string>.Empty));
    }

    /// <summary>The fleet view lists <paramref name="node"/> on boot <paramref name="bootId"/> (until the next <see cref="Set"/>).</summary>
    public void Boot(string node, string bootId) => Nodes = [.. Nodes.Select(n => n.NodeName == node ? n with { HostBootId = bootId } : n)];

    /// <summary>An actor answering GetStatus (caught up) and ListNodes from this fleet, as the fleet view does.</summary>
    public Props View() => Props.Create(() => new StandIn(this));

    private sealed class StandIn : ReceiveActor
    {
        public StandIn(GovernorFleet fleet)
        {
            Receive<FleetView.GetStatus>(_ => Sender.Tell(new FleetView.ViewStatus(true, 1, fleet.Nodes.Length)));
            Receive<FleetView.ListNodes>(_ => Sender.Tell(new FleetView.NodeList(fleet.Nodes)));
        }
    }
}

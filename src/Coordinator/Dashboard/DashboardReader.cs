using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Health;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;
using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.History;
using NodeHealth.Coordinator.Kubernetes.Nodes;
using NodeHealth.Coordinator.Repair;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>
/// What the pages show, read where the API reads it (fleet view, node entities, repair governor) and in the API's
/// shapes. A part that does not answer in time is null, and the page says so instead of failing whole.
/// </summary>
public sealed class DashboardReader(
    IRequiredActor<FleetView> fleet, IRequiredActor<NodeHealthRegion> region, IRequiredActor<RepairGovernor> governor, NodeDirectory directory,
    RepairPolicyHolder policies, INodeLabelSource labels, JournalHistory history)
{
    /// <summary>The newest timeline entries a node page shows.</summary>
    public const int TimelineShown = 100;

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<NodeSummaryView>?> NodesAsync(CancellationToken cancellation)
    {
        try
        {
            var view = await fleet.GetAsync(cancellation);
            var list = await view.Ask<FleetView.NodeList>(FleetView.ListNodes.Instance, QueryTimeout, cancellation);
            var facts = directory.Nodes;
            return [.. list.Nodes.Select(n => NodeSummaryView.From(n, facts.GetValueOrDefault(n.NodeName))).OrderBy(n => n.Name, StringComparer.Ordinal)];
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    public async Task<RepairListView?> RepairsAsync(string node, CancellationToken cancellation) =>
        await GovernorAsync(node, cancellation) is { } list ? RepairListView.From(list) : null;

    /// <summary>The budgets now, counted as the governor counts them (as GET /api/repairs/budgets answers).</summary>
    public async Task<RepairBudgetsView?> BudgetsAsync(CancellationToken cancellation)
    {
        try
        {
            var nodes = await (await fleet.GetAsync(cancellation)).Ask<FleetView.NodeList>(FleetView.ListNodes.Instance, QueryTimeout, cancellation);
            return await GovernorAsync("", cancellation) is { } list ? RepairBudgetsView.From(policies.Current, FleetInput.From(nodes.Nodes, labels), list) : null;
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>The node's newest timeline entries, newest first, from its retained history and the governor's repairs (as GET /api/nodes/{name}/timeline).</summary>
    public async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(string node, CancellationToken cancellation)
    {
        var (start, events) = await history.NodeAsync(node, cancellation);
        var runs = await GovernorAsync(node, cancellation) is { } list ? list.Runs.OrEmpty() : [];
        var entries = NodeTimeline.Build(start, events, runs);
        return [.. entries.Skip(Math.Max(0, entries.Count - TimelineShown)).Reverse()];
    }

    private async Task<RepairList?> GovernorAsync(string node, CancellationToken cancellation)
    {
        try
        {
            var singleton = await governor.GetAsync(cancellation);
            return await singleton.Ask<RepairList>(new GetRepairs(node), QueryTimeout, cancellation);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// The node's view; <see cref="NodeAnswer.Unknown"/> for a node no agent reported (asked of the fleet view first:
    /// starting an entity is a write), <see cref="NodeAnswer.Unavailable"/> when nobody answered in time.
    /// </summary>
    public async Task<(NodeAnswer Answer, NodeView? View)> NodeAsync(string name, CancellationToken cancellation)
    {
        try
        {
            var view = await fleet.GetAsync(cancellation);
            if (await view.Ask<object>(new FleetView.FindNode(name), QueryTimeout, cancellation) is FleetView.NodeUnknown)
                return (NodeAnswer.Unknown, null);
            var entities = await region.GetAsync(cancellation);
            return await entities.Ask<object>(new GetNodeHealth(name), QueryTimeout, cancellation) is NodeHealthState state
                ? (NodeAnswer.Found, NodeView.From(state))
                : (NodeAnswer.Unknown, null);
        }
        catch (AskTimeoutException)
        {
            return (NodeAnswer.Unavailable, null);
        }
    }

    /// <summary>Pool, zone and cordon of a node from its Node object (null without Kubernetes).</summary>
    public NodeFacts? Facts(string name) => directory.Find(name);
}

public enum NodeAnswer
{
    Found,
    Unknown,
    Unavailable,
}

using System.Text.Json;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;
using NodeHealth.Coordinator.Kubernetes.Nodes;
using NodeHealth.Coordinator.Repair;

namespace NodeHealth.Coordinator.Api.Live;

/// <summary>
/// The JSON of each live event: the very object the REST API answers for the same thing (an item of GET /api/nodes,
/// of GET /api/repairs' decisions, repairs, approvals or paused nodes), in the API's JSON settings.
/// </summary>
public sealed class LiveViews(NodeDirectory directory, JsonSerializerOptions json)
{
    public LiveItem Node(string name, NodeSummary? summary) => summary is null
        ? new(LiveEvent.Node, JsonSerializer.Serialize(new NodeRemovedView(name, Removed: true), json))
        : new(LiveEvent.Node, JsonSerializer.Serialize(NodeSummaryView.From(summary, directory.Find(name)), json));

    public LiveItem Decision(RepairDecisionRecorded decision) =>
        new(LiveEvent.Decision, JsonSerializer.Serialize(RepairDecisionView.From(decision), json));

    public LiveItem Withdrawn(RepairDecisionWithdrawn withdrawn) => new(LiveEvent.Decision, JsonSerializer.Serialize(
        new RepairDecisionWithdrawnView(withdrawn.Node, "Withdrawn", DateTime.SpecifyKind(withdrawn.RecordedAt, DateTimeKind.Utc), withdrawn.Why), json));

    public LiveItem Approval(RepairApprovedByOperator approval) =>
        new(LiveEvent.Approval, JsonSerializer.Serialize(RepairApprovalView.From(approval), json));

    public LiveItem NodePaused(RepairNodePausedByOperator paused) =>
        new(LiveEvent.Pause, JsonSerializer.Serialize(RepairNodePauseView.From(paused), json));

    public LiveItem NodeResumed(RepairNodeResumedByOperator resumed) => new(LiveEvent.Pause, JsonSerializer.Serialize(
        new RepairNodeResumedView(resumed.Node, Resumed: true, resumed.By, DateTime.SpecifyKind(resumed.RecordedAt, DateTimeKind.Utc)), json));

    public LiveItem Repair(RepairRunState run, string? now) => new(LiveEvent.Repair, JsonSerializer.Serialize(RepairRunView.From(run, now), json));
}

/// <summary>A node the fleet view forgot (its Node deleted longer ago than the history retention).</summary>
public sealed record NodeRemovedView(string Name, bool Removed);

/// <summary>A node's decision was dropped: it is healthy again, or left the fleet (<see cref="Why"/>).</summary>
public sealed record RepairDecisionWithdrawnView(string Node, string State, DateTime DecidedAt, string Why);

/// <summary>An operator lifted the node's pause (<see cref="By"/>, at <see cref="ResumedAt"/>).</summary>
public sealed record RepairNodeResumedView(string Node, bool Resumed, string By, DateTime ResumedAt);

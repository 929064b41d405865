using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Repair.Governor;

/// <summary>
/// Where the governor tells what it just recorded about a node (a decision, a repair's start, step or end), to be
/// shown on the Node (Kubernetes Events). Called once per live event, never on replay; must not block.
/// </summary>
public interface IRepairEventSink
{
    void Record(string node, IRepairGovernorEvent recorded);
}

using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Coordinator.Api.Live;

/// <summary>
/// Publishes what the repair governor records about a node to every coordinator's live feed (DistributedPubSub): the
/// governor is a singleton on one coordinator, the streams are open on all of them. Called on the governor's thread:
/// one Tell, never a wait.
/// </summary>
public sealed class RepairChangesPublisher(IServiceProvider services) : IRepairEventSink
{
    public const string Topic = "repair-changes";

    // Resolved at the first record: the sinks are resolved while the actor system is still starting.
    private IActorRef? _mediator;

    public void Record(string node, IRepairGovernorEvent recorded)
    {
        _mediator ??= DistributedPubSub.Get(services.GetRequiredService<ActorSystem>()).Mediator;
        _mediator.Tell(new Publish(Topic, recorded));
    }

    /// <summary>The live feed carries what happens to nodes; a zone's breaker and the pause are read from GET /api/repairs.</summary>
    public void RecordConcerning(IReadOnlyList<string> nodes, IRepairGovernorEvent recorded)
    {
    }
}

using Akka.Actor;
using NodeHealth.Contracts.Health;
using NodeHealth.Coordinator.Kubernetes.Conditions;
using NodeHealth.Coordinator.Kubernetes.Events;

namespace NodeHealth.Coordinator.Kubernetes;

/// <summary>A node's Kubernetes side, the child of its entity: the condition writer and the event recorder each get every state; the writer's adoption and its 404 go up to the entity.</summary>
public sealed class NodeExporter : ReceiveActor
{
    public NodeExporter(string nodeName, ConditionWriterSettings conditions, EventRecorderSettings events)
    {
        var writer = Context.ActorOf(NodeConditionWriter.Props(nodeName, conditions), "conditions");
        var recorder = Context.ActorOf(NodeEventRecorder.Props(nodeName, events), "events");
        Receive<NodeHealthState>(state =>
        {
            writer.Tell(state);
            recorder.Tell(state);
        });
        Receive<AdoptConditions>(adopt => Context.Parent.Forward(adopt));
        Receive<ReportNodeDeleted>(deleted => Context.Parent.Forward(deleted));
    }
}

using Akka.Actor;
using NodeHealth.Actors.Health;
using NodeHealth.Coordinator.Kubernetes.Conditions;
using NodeHealth.Coordinator.Kubernetes.Events;

namespace NodeHealth.Coordinator.Kubernetes;

/// <summary>Gives each NodeHealth entity its Kubernetes side (<see cref="NodeExporter"/>).</summary>
public sealed class KubernetesNodeExporter(ConditionWriterSettings conditions, EventRecorderSettings events) : INodeStatusExporter
{
    public Props ExporterFor(string nodeName) => Props.Create(() => new NodeExporter(nodeName, conditions, events));
}

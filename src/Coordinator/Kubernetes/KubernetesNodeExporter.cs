using Akka.Actor;
using NodeHealth.Actors.Health;
using NodeHealth.Coordinator.Kubernetes.Conditions;

namespace NodeHealth.Coordinator.Kubernetes;

/// <summary>Each NodeHealth entity's Kubernetes side: the writer of its node's conditions.</summary>
public sealed class KubernetesNodeExporter(ConditionWriterSettings conditions) : INodeStatusExporter
{
    public Props ExporterFor(string nodeName) => NodeConditionWriter.Props(nodeName, conditions);
}

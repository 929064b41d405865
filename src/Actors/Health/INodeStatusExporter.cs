using Akka.Actor;

namespace NodeHealth.Actors.Health;

/// <summary>
/// Where a node's state goes beyond the coordinator (the Kubernetes Node object). The entity starts
/// the exporter's actor as its child once recovered and tells it every state it reaches, so each
/// node has exactly one writer, living wherever its shard lives (DESIGN D9: no leader election).
/// Registered in DI by the coordinator when it has Kubernetes; without one nothing is exported.
/// </summary>
public interface INodeStatusExporter
{
    Props ExporterFor(string nodeName);
}

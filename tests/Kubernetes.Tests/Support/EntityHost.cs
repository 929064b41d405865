using Akka.Actor;
using Akka.Cluster.Sharding;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;

namespace NodeHealth.Kubernetes.Tests.Support;

/// <summary>
/// Stands in for the shard region in tests: one real <see cref="NodeHealthEntity"/> per node name, started by its first
/// message; a passivating entity is sent its stop message, as the shard does.
/// </summary>
public sealed class EntityHost : ReceiveActor
{
    public EntityHost(NodeHealthSettings settings)
    {
        Receive<Passivate>(passivate => Sender.Tell(passivate.StopMessage));
        Receive<IWithNodeName>(message =>
        {
            var name = message.NodeName;
            var entity = Context.Child(name);
            if (entity.IsNobody())
                entity = Context.ActorOf(Props.Create(() => new NodeHealthEntity(name, settings)), name);
            entity.Forward(message);
        });
    }
}

using System.Collections.Immutable;
using Akka.Actor;
using NodeHealth.Contracts;

namespace NodeHealth.Coordinator.Kubernetes.Nodes;

/// <summary>
/// Tells the node entities (through the shard region) what the informer saw change. Told, not asked: every coordinator's
/// informer sends the same facts, so one that is lost in a shard move is sent again by the others.
/// </summary>
public sealed class NodeEntityFeed(Func<CancellationToken, Task<IActorRef>> entities)
{
    public async Task SendAsync(ImmutableArray<IWithNodeName> commands, CancellationToken cancellation)
    {
        if (commands.IsEmpty)
            return;
        var region = await entities(cancellation);
        foreach (var command in commands)
            region.Tell(command);
    }
}

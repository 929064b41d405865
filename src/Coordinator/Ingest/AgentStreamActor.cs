using System.Threading.Channels;
using Akka.Actor;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Coordinator.Ingest;

/// <summary>
/// One per open agent stream, on the coordinator that holds it: the address the node's entity (wherever it runs) sends
/// commands to. It writes them into the stream's outgoing messages; it stops when the stream ends, which the entity sees.
/// </summary>
public sealed class AgentStreamActor : ReceiveActor
{
    public AgentStreamActor(string nodeName, ChannelWriter<CoordinatorMessage> outgoing)
    {
        Receive<DeliverAgentCommands>(deliver =>
        {
            if (deliver.NodeName != nodeName)
                return; // Not this stream's node: never hand one node's command to another's agent.
            foreach (var command in deliver.Commands.OrEmpty())
                outgoing.TryWrite(new CoordinatorMessage(Command: command));
        });
    }

    public static Props Props(string nodeName, ChannelWriter<CoordinatorMessage> outgoing) =>
        Akka.Actor.Props.Create(() => new AgentStreamActor(nodeName, outgoing));
}

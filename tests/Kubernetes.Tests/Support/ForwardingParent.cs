using Akka.Actor;

namespace NodeHealth.Kubernetes.Tests.Support;

/// <summary>Stands in for the entity above a child under test: what the child tells its parent goes to the probe, the rest to the child.</summary>
public sealed class ForwardingParent : ReceiveActor
{
    public ForwardingParent(Props child, IActorRef probe)
    {
        var created = Context.ActorOf(child, "child");
        ReceiveAny(message =>
        {
            if (Sender.Equals(created))
                probe.Forward(message);
            else
                created.Forward(message);
        });
    }
}

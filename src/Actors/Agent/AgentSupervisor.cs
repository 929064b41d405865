using Akka.Actor;
using Akka.Pattern;

namespace NodeHealth.Actors.Agent;

/// <summary>A child of the agent: its actor name and how to make it, given the uplink.</summary>
public sealed record AgentChild(string Name, Func<IActorRef, Props> Props);

public sealed record AgentBackoff(TimeSpan Min, TimeSpan Max)
{
    public static readonly AgentBackoff Default = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
}

/// <summary>
/// Root of the agent: the uplink and one monitor per subsystem, each behind a backoff supervisor,
/// so a monitor that keeps throwing is restarted ever more slowly while its siblings keep running.
/// </summary>
public sealed class AgentSupervisor : ReceiveActor
{
    public const string UplinkName = "uplink";

    public AgentSupervisor(Props uplink, IReadOnlyList<AgentChild> monitors, AgentBackoff backoff)
    {
        var uplinkRef = Context.ActorOf(Supervised(UplinkName, uplink, backoff), UplinkName);
        foreach (var monitor in monitors)
            Context.ActorOf(Supervised(monitor.Name, monitor.Props(uplinkRef), backoff), monitor.Name);

        Receive<GetChild>(get => Sender.Tell(Context.Child(get.Name)));
    }

    private static Props Supervised(string name, Props child, AgentBackoff backoff) =>
        BackoffSupervisor.Props(Backoff.OnFailure(child, name, backoff.Min, backoff.Max, 0.2, maxNrOfRetries: -1)
            .WithAutoReset(backoff.Max)
            .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Restart)));

    /// <summary>Replies the backoff supervisor of the named child (ActorRefs.Nobody when absent).</summary>
    public sealed record GetChild(string Name);
}

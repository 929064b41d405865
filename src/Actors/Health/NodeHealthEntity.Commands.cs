using Akka.Actor;
using Akka.Event;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Health;

/// <summary>
/// Commands for the node's agent (see NodeHealthMachine.Commands). Whichever coordinator holds the agent's stream, its
/// stream actor attaches itself here after the hello and with every heartbeat; the entity keeps the latest one (watched)
/// and sends it every unanswered command on each attach and each new command. The stream is not persisted: after a
/// failover or a rebalance the next heartbeat attaches it again, and the agent ignores what it has already answered.
/// </summary>
public sealed partial class NodeHealthEntity
{
    private IActorRef? _agentStream;

    private void AgentCommands()
    {
        Command<RequestAgentCommand>(request =>
        {
            if (!_state.IsKnown)
            {
                Sender.Tell(new NodeNotFound(request.NodeName));
                PassivateUnknown();
                return;
            }

            var (requested, command) = _state.Decide(request, Now);
            var sender = Sender;
            if (requested is null)
            {
                sender.Tell(StatusOf(command));
                return;
            }

            _log.Info("Node {0}: {1} command {2} for the agent{3}", _state.NodeName, request.Kind, request.Id,
                _agentStream is null ? "; no agent stream is attached, it is sent when the agent connects" : "");
            Persist(requested, e =>
            {
                Applied(e);
                SendUnanswered();
                sender.Tell(StatusOf(_state.Commands.First(c => c.Id == e.Id)));
            });
        });
        Command<AttachAgentStream>(_ =>
        {
            if (_state.IsKnown)
                AttachStream(Sender);
        });
        Command<RecordAgentCommandResult>(report =>
        {
            if (_state.Decide(report, Now) is not { } answered)
                return;
            _log.Info("Node {0}: the agent answered command {1}: {2} ({3})", _state.NodeName, answered.Id, answered.Outcome, answered.Detail);
            Persist(answered, Applied);
        });
        Command<Terminated>(terminated =>
        {
            if (terminated.ActorRef.Equals(_agentStream))
                _agentStream = null;
        });
    }

    /// <summary>The newest stream wins (the agent opens a new one after losing the last); it is sent what is unanswered.</summary>
    private void AttachStream(IActorRef stream)
    {
        if (stream.IsNobody())
            return;
        if (!stream.Equals(_agentStream))
        {
            if (_agentStream is { } previous)
                Context.Unwatch(previous);
            _agentStream = stream;
            Context.Watch(stream);
        }

        SendUnanswered();
    }

    private void SendUnanswered()
    {
        if (_agentStream is not { } stream)
            return;
        var unanswered = _state.UnansweredCommands();
        if (!unanswered.IsEmpty)
            stream.Tell(new DeliverAgentCommands(_state.NodeName, unanswered));
    }

    private AgentCommandStatus StatusOf(AgentCommandState command) =>
        new(_state.NodeName, command, _agentStream is not null, _state.HostBootId);
}

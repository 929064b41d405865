using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Agent.Uplink;

/// <summary>Port to the coordinator: opens the bidirectional finding stream (gRPC in production).</summary>
public interface IUplinkTransport
{
    /// <summary>Opens a stream whose first message is <paramref name="hello"/>; throws when the coordinator cannot be reached.</summary>
    Task<IUplinkConnection> ConnectAsync(AgentHello hello, CancellationToken cancellationToken);
}

public interface IUplinkConnection : IAsyncDisposable
{
    /// <summary>The coordinator this stream goes to (for the log); empty when the transport does not say.</summary>
    string Address => "";

    /// <summary>Queues a message for sending; false when the stream is already closed.</summary>
    bool Send(AgentMessage message);

    /// <summary>Messages from the coordinator; ends (or throws) when the stream closes.</summary>
    IAsyncEnumerable<CoordinatorMessage> ReadAllAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The coordinator refused one finding as invalid and ended the stream; the transport names it so
/// the uplink sets exactly that one aside instead of resending it forever.
/// </summary>
public sealed class FindingRejectedException(string agentBootId, long sequence, string reason)
    : IOException($"the coordinator rejected finding {sequence} of agent run {agentBootId}: {reason}")
{
    public string AgentBootId { get; } = agentBootId;
    public long Sequence { get; } = sequence;
    public string Reason { get; } = reason;
}

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
    /// <summary>Queues a message for sending; false when the stream is already closed.</summary>
    bool Send(AgentMessage message);

    /// <summary>Messages from the coordinator; ends (or throws) when the stream closes.</summary>
    IAsyncEnumerable<CoordinatorMessage> ReadAllAsync(CancellationToken cancellationToken);
}

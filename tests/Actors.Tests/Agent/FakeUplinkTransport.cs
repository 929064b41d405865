using System.Collections.Concurrent;
using System.Threading.Channels;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Tests.Agent;

/// <summary>A coordinator stand-in: refuses while down, records what arrives, acknowledges when told.</summary>
public sealed class FakeUplinkTransport : IUplinkTransport
{
    private volatile bool _up;
    private FakeConnection? _current;

    public ConcurrentQueue<AgentMessage> Received { get; } = new();
    public int Connections;

    public bool AutoAcknowledge { get; set; } = true;

    public void Up() => _up = true;

    /// <summary>Takes the coordinator away: refuses new connections and breaks the open one.</summary>
    public void Down()
    {
        _up = false;
        _current?.Break();
    }

    public Task<IUplinkConnection> ConnectAsync(AgentHello hello, CancellationToken cancellationToken)
    {
        if (!_up)
            return Task.FromException<IUplinkConnection>(new IOException("connection refused"));
        Interlocked.Increment(ref Connections);
        Received.Enqueue(new AgentMessage(Hello: hello));
        _current = new FakeConnection(this);
        return Task.FromResult<IUplinkConnection>(_current);
    }

    private sealed class FakeConnection(FakeUplinkTransport transport) : IUplinkConnection
    {
        private readonly Channel<CoordinatorMessage> _replies = Channel.CreateUnbounded<CoordinatorMessage>();
        private bool _broken;

        public bool Send(AgentMessage message)
        {
            if (_broken)
                return false;
            transport.Received.Enqueue(message);
            if (transport.AutoAcknowledge && message.Batch is { } batch)
                foreach (var run in batch.Findings.GroupBy(f => f.AgentBootId))
                    _replies.Writer.TryWrite(new CoordinatorMessage(new BatchAck(run.Key, run.Max(f => f.Sequence), run.Count(), 0)));
            return true;
        }

        public IAsyncEnumerable<CoordinatorMessage> ReadAllAsync(CancellationToken cancellationToken) => _replies.Reader.ReadAllAsync(cancellationToken);

        public void Break()
        {
            _broken = true;
            _replies.Writer.TryComplete(new IOException("stream reset"));
        }

        public ValueTask DisposeAsync()
        {
            _replies.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}

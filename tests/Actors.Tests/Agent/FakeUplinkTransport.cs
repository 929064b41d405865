using System.Collections.Concurrent;
using System.Threading.Channels;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Tests.Agent;

/// <summary>A coordinator stand-in: refuses while down, records what arrives, acknowledges when told, rejects what it is told to.</summary>
public sealed class FakeUplinkTransport : IUplinkTransport
{
    private volatile bool _up;
    private FakeConnection? _current;

    public ConcurrentQueue<AgentMessage> Received { get; } = new();
    public int Connections;

    public bool AutoAcknowledge { get; set; } = true;

    /// <summary>A finding for which this returns a reason ends the stream as the coordinator's InvalidArgument does, naming it.</summary>
    public Func<Finding, string?> Rejects { get; set; } = _ => null;

    public void Up() => _up = true;

    /// <summary>Takes the coordinator away: refuses new connections and breaks the open one.</summary>
    public void Down()
    {
        _up = false;
        _current?.Break();
    }

    /// <summary>Sends a message down the open stream, as the coordinator sends a command; false while none is open.</summary>
    public bool SendDown(CoordinatorMessage message) => _current?.Reply(message) ?? false;

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
            if (message.Batch?.Findings.FirstOrDefault(f => transport.Rejects(f) is not null) is { } bad)
            {
                _broken = true;
                _replies.Writer.TryComplete(new FindingRejectedException(bad.AgentBootId, bad.Sequence, transport.Rejects(bad)!));
                return true;
            }

            if (transport.AutoAcknowledge && message.Batch is { } batch)
                foreach (var run in batch.Findings.Select(f => (f.AgentBootId, f.Sequence))
                             .Concat(batch.Recoveries.OrEmpty().Select(r => (r.AgentBootId, r.Sequence))).GroupBy(f => f.AgentBootId))
                    _replies.Writer.TryWrite(new CoordinatorMessage(new BatchAck(run.Key, run.Max(f => f.Sequence), run.Count(), 0)));
            return true;
        }

        public bool Reply(CoordinatorMessage message) => !_broken && _replies.Writer.TryWrite(message);

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

using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Wire;
using ProtoBuf.Grpc;
using ProtoBuf.Grpc.Client;

/// <summary>
/// One agent as the uplink behaves: a stream to one coordinator, findings pipelined in batches, each forgotten
/// only when acknowledged, and after a lost stream a reconnect to the next coordinator that resends
/// everything unacknowledged. Channels are shared: one per coordinator, several HTTP/2 connections each.
/// </summary>
sealed class SimulatedAgent(string node, IReadOnlyList<IFindingIngest> coordinators, string token, int start)
{
    private readonly string _boot = Guid.NewGuid().ToString("N");
    private long _written;
    private int _coordinator = start;

    public string Node => node;

    /// <summary>Highest sequence the coordinators acknowledged (persisted).</summary>
    public long Acknowledged { get; private set; }

    public long Written => Interlocked.Read(ref _written);

    public int Reconnects { get; private set; }

    /// <summary>When the first acknowledgement of a finding written after <see cref="Mark"/> arrived (null: not yet).</summary>
    public DateTime? AckedAfterMark { get; private set; }

    private long _mark = long.MaxValue;

    public void Mark() => _mark = Written + 1;

    public static IFindingIngest[] Connect(IEnumerable<Uri> coordinators) => [.. coordinators.Select(uri => GrpcChannel.ForAddress(uri, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, ConnectTimeout = TimeSpan.FromSeconds(5) },
    }).CreateGrpcService<IFindingIngest>())];

    /// <summary>Connects and waits for the hello's answer (the entity started and persisted the host boot).</summary>
    public async Task<Stream> OpenAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var stream = new Stream(this, coordinators[_coordinator % coordinators.Count], token, cancellation);
            try
            {
                await stream.HelloAnswered.WaitAsync(cancellation);
                return stream;
            }
            catch (Exception e) when (e is RpcException or IOException or HttpRequestException)
            {
                stream.Close();
                _coordinator++;
                Reconnects++;
                await Task.Delay(TimeSpan.FromMilliseconds(500 + Random.Shared.Next(500)), cancellation);
            }
        }
    }

    /// <summary>Writes <paramref name="count"/> findings in batches of <paramref name="batch"/>, every <paramref name="pace"/> (zero: at once).</summary>
    public async Task RunAsync(Stream first, int count, int batch, TimeSpan pace, CancellationToken cancellation)
    {
        var stream = first;
        var target = Written + count;
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                stream.Resend(Acknowledged + 1, Written);
                while (Written < target && !stream.Broken.IsCompleted)
                {
                    var from = Written + 1;
                    var to = Math.Min(target, Written + batch);
                    Interlocked.Exchange(ref _written, to);
                    stream.Send(from, to);
                    if (pace > TimeSpan.Zero)
                        await Task.WhenAny(Task.Delay(pace, cancellation), stream.Broken);
                }

                await Task.WhenAny(stream.AllAcknowledged(target), stream.Broken);
                if (Acknowledged >= target)
                {
                    stream.Close();
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            stream.Close(); // Lost: the next coordinator gets everything unacknowledged.
            _coordinator++;
            Reconnects++;
            await Task.Delay(TimeSpan.FromMilliseconds(500 + Random.Shared.Next(500)), cancellation);
            stream = await OpenAsync(cancellation);
        }
    }

    private void Acked(long upTo)
    {
        if (upTo <= Acknowledged)
            return;
        Acknowledged = upTo;
        if (upTo >= _mark && AckedAfterMark is null)
            AckedAfterMark = DateTime.UtcNow;
    }

    public sealed class Stream
    {
        private readonly SimulatedAgent _agent;
        private readonly Channel<AgentMessage> _outgoing = Channel.CreateUnbounded<AgentMessage>();
        private readonly CancellationTokenSource _lifetime;
        private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _broken = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(long UpTo, TaskCompletionSource Done)> _waiting = [];

        public Stream(SimulatedAgent agent, IFindingIngest ingest, string token, CancellationToken cancellation)
        {
            _agent = agent;
            _lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            _outgoing.Writer.TryWrite(new AgentMessage(Hello: new AgentHello(agent.Node, agent._boot, "bench", [])));
            _ = ReadAsync(ingest, token);
        }

        public Task HelloAnswered => _hello.Task;

        public Task Broken => _broken.Task;

        public void Send(long from, long to) => _outgoing.Writer.TryWrite(new AgentMessage(Batch: new FindingBatch([.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(s =>
            new Finding(_agent.Node, ConditionType.KernelReady, "SoftLockup", Severity.Warning, $"CPU#{s % 64} stuck for 23s [bench:{s}]",
                DateTime.UtcNow, "kmsg", null, _agent._boot, s))])));

        public void Resend(long from, long to)
        {
            for (var first = from; first <= to; first += IngestLimits.MaxFindingsPerBatch)
                Send(first, Math.Min(to, first + IngestLimits.MaxFindingsPerBatch - 1));
        }

        public Task AllAcknowledged(long upTo)
        {
            lock (_waiting)
            {
                if (_agent.Acknowledged >= upTo)
                    return Task.CompletedTask;
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add((upTo, done));
                return done.Task;
            }
        }

        public void Close()
        {
            _outgoing.Writer.TryComplete();
            _lifetime.Cancel();
        }

        private async Task ReadAsync(IFindingIngest ingest, string token)
        {
            try
            {
                var call = new CallContext(new CallOptions(new Metadata { { "authorization", "Bearer " + token } }, cancellationToken: _lifetime.Token));
                await foreach (var reply in ingest.ConnectAsync(_outgoing.Reader.ReadAllAsync(_lifetime.Token), call))
                {
                    _hello.TrySetResult();
                    if (reply.Ack is not { } ack)
                        continue;
                    lock (_waiting)
                    {
                        _agent.Acked(ack.UpToSequence);
                        foreach (var waiting in _waiting.Where(w => w.UpTo <= _agent.Acknowledged).ToList())
                        {
                            waiting.Done.TrySetResult();
                            _waiting.Remove(waiting);
                        }
                    }
                }

                throw new IOException("the coordinator ended the stream");
            }
            catch (Exception e)
            {
                _hello.TrySetException(e is RpcException or IOException ? e : new IOException(e.Message, e));
                _broken.TrySetResult();
            }
        }
    }
}

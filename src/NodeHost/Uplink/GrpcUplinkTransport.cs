using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts.Wire;
using ProtoBuf.Grpc;
using ProtoBuf.Grpc.Client;

namespace NodeHealth.NodeHost.Uplink;

/// <summary>
/// The finding stream over gRPC (HTTP/2). A connection counts as open only once the coordinator has
/// answered the hello, so a refused token or node surfaces here, not later.
/// </summary>
public sealed class GrpcUplinkTransport : IUplinkTransport, IDisposable
{
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);
    private readonly GrpcChannel _channel;
    private readonly IFindingIngest _client;
    private readonly string _token;
    private readonly Uri _coordinator;

    public GrpcUplinkTransport(Uri coordinator, string token)
    {
        _token = token;
        _coordinator = coordinator;
        _channel = GrpcChannel.ForAddress(coordinator, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = IngestLimits.MaxMessageBytes,
            MaxSendMessageSize = IngestLimits.MaxMessageBytes,
            HttpHandler = new SocketsHttpHandler
            {
                KeepAlivePingDelay = TimeSpan.FromSeconds(20),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            },
        });
        _client = _channel.CreateGrpcService<IFindingIngest>();
    }

    public async Task<IUplinkConnection> ConnectAsync(AgentHello hello, CancellationToken cancellationToken)
    {
        var outgoing = Channel.CreateUnbounded<AgentMessage>(new UnboundedChannelOptions { SingleReader = true });
        outgoing.Writer.TryWrite(new AgentMessage(Hello: hello));
        var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var headers = new Metadata { { "authorization", "Bearer " + _token } };
        var responses = _client.ConnectAsync(outgoing.Reader.ReadAllAsync(lifetime.Token), new CallContext(new CallOptions(headers, cancellationToken: lifetime.Token)));
        var enumerator = responses.GetAsyncEnumerator(lifetime.Token);
        try
        {
            if (!await enumerator.MoveNextAsync().AsTask().WaitAsync(HelloTimeout, cancellationToken))
                throw new IOException("The coordinator closed the stream without answering the hello");
        }
        catch
        {
            await lifetime.CancelAsync();
            await enumerator.DisposeAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            lifetime.Dispose();
            throw;
        }

        return new Connection(_coordinator.ToString().TrimEnd('/'), outgoing.Writer, enumerator, lifetime);
    }

    public void Dispose() => _channel.Dispose();

    /// <summary>The finding an InvalidArgument names in its trailers, for the uplink to quarantine; null when it names none.</summary>
    internal static FindingRejectedException? Rejection(RpcException error)
    {
        if (error.StatusCode != StatusCode.InvalidArgument ||
            error.Trailers.GetValue(FindingValidation.RejectedAgentRunTrailer) is not { Length: > 0 } run ||
            !long.TryParse(error.Trailers.GetValue(FindingValidation.RejectedSequenceTrailer), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            return null;
        return new FindingRejectedException(run, sequence, error.Status.Detail);
    }

    private sealed class Connection(
        string address,
        ChannelWriter<AgentMessage> outgoing,
        IAsyncEnumerator<CoordinatorMessage> incoming,
        CancellationTokenSource lifetime) : IUplinkConnection
    {
        public string Address => address;

        public bool Send(AgentMessage message) => outgoing.TryWrite(message);

        public async IAsyncEnumerable<CoordinatorMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var link = cancellationToken.Register(lifetime.Cancel);
            while (true)
            {
                bool more;
                try
                {
                    more = await incoming.MoveNextAsync();
                }
                catch (RpcException e) when (Rejection(e) is { } rejected)
                {
                    throw rejected;
                }

                if (!more)
                    yield break;
                yield return incoming.Current;
            }
        }

        public async ValueTask DisposeAsync()
        {
            outgoing.TryComplete();
            await lifetime.CancelAsync();
            try
            {
                await incoming.DisposeAsync();
            }
            catch (Exception e) when (e is RpcException or OperationCanceledException or IOException)
            {
                // The stream is being torn down; its error was already reported by the reader.
            }

            lifetime.Dispose();
        }
    }
}

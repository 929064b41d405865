using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
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
/// answered the hello, so a refused token or node surfaces here, not later. The token is read again for
/// every stream; over https the coordinator's certificate is checked against <see cref="CoordinatorTrust"/>.
/// </summary>
public sealed class GrpcUplinkTransport : IUplinkTransport, IDisposable
{
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);
    private readonly GrpcChannel _channel;
    private readonly IFindingIngest _client;
    private readonly AgentToken _token;
    private readonly CoordinatorTrust? _trust;
    private readonly CoordinatorAddress _coordinator;
    private readonly TimeProvider _clock;
    private string? _refusedCertificate;

    /// <param name="trust">The CA bundle an https coordinator's certificate must chain to; null: the machine's trust store.</param>
    public GrpcUplinkTransport(CoordinatorAddress coordinator, AgentToken token, CoordinatorTrust? trust, TimeProvider clock)
    {
        _token = token;
        _trust = trust;
        _coordinator = coordinator;
        _clock = clock;
        var handler = new SocketsHttpHandler
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        if (coordinator.Dial is { } dial)
            handler.ConnectCallback = (context, cancellation) => DialAsync(dial, context.DnsEndPoint.Port, cancellation);
        if (trust is not null)
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Trusted };
        _channel = GrpcChannel.ForAddress(coordinator.Url, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = IngestLimits.MaxMessageBytes,
            MaxSendMessageSize = IngestLimits.MaxMessageBytes,
            HttpHandler = handler,
        });
        _client = _channel.CreateGrpcService<IFindingIngest>();
    }

    /// <summary>How often an open stream looks for a rotated token file.</summary>
    public TimeSpan TokenCheckEvery { get; init; } = AgentToken.DefaultCheckEvery;

    public async Task<IUplinkConnection> ConnectAsync(AgentHello hello, CancellationToken cancellationToken)
    {
        var token = _token.Current();
        var outgoing = Channel.CreateUnbounded<AgentMessage>(new UnboundedChannelOptions { SingleReader = true });
        outgoing.Writer.TryWrite(new AgentMessage(Hello: hello));
        var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var headers = new Metadata { { "authorization", "Bearer " + token } };
        _refusedCertificate = null;
        var responses = _client.ConnectAsync(outgoing.Reader.ReadAllAsync(lifetime.Token), new CallContext(new CallOptions(headers, cancellationToken: lifetime.Token)));
        var enumerator = responses.GetAsyncEnumerator(lifetime.Token);
        try
        {
            if (!await enumerator.MoveNextAsync().AsTask().WaitAsync(HelloTimeout, cancellationToken))
                throw new IOException("The coordinator closed the stream without answering the hello");
        }
        catch (Exception e)
        {
            await lifetime.CancelAsync();
            await enumerator.DisposeAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            lifetime.Dispose();
            if (_refusedCertificate is { } refused && e is RpcException or HttpRequestException)
                throw new AuthenticationException(refused);
            throw;
        }

        // A rotated token file ends the stream, so the next one opens with the new token before the old one expires.
        var rotated = _token.File is { } file ? RotationOf(file, token, lifetime) : null;
        return new Connection(_coordinator.ToString(), outgoing.Writer, enumerator, lifetime, rotated);
    }

    private TokenRotation RotationOf(string file, string sent, CancellationTokenSource lifetime)
    {
        var rotation = new TokenRotation(file);
        _ = _token.ChangedAsync(sent, TokenCheckEvery, _clock, lifetime.Token).ContinueWith(changed =>
        {
            if (changed.IsCompletedSuccessfully)
            {
                rotation.Happened = true;
                lifetime.Cancel();
            }
        }, TaskScheduler.Default);
        return rotation;
    }

    private bool Trusted(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        _refusedCertificate = _trust!.Problem(certificate, chain, errors);
        return _refusedCertificate is null;
    }

    private static async ValueTask<Stream> DialAsync(IPAddress address, int port, CancellationToken cancellation)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), cancellation);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
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

    private sealed class TokenRotation(string file)
    {
        public volatile bool Happened;

        public TokenRotatedException Exception() => new(file);
    }

    private sealed class Connection(
        string address,
        ChannelWriter<AgentMessage> outgoing,
        IAsyncEnumerator<CoordinatorMessage> incoming,
        CancellationTokenSource lifetime,
        TokenRotation? rotation) : IUplinkConnection
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
                catch (Exception e) when (rotation is { Happened: true } && e is RpcException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    throw rotation.Exception();
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

using System.Collections.Concurrent;
using System.Net;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.NodeHost.Uplink;

/// <summary>
/// The uplink's transport over several coordinators: each attempt goes to one of them, and the attempt
/// after a refused connection or a lost stream goes to the next (the uplink's backoff runs in between).
/// Any coordinator serves any node, so which one an agent reaches does not matter; the spool and its
/// acknowledged-only deletion are the uplink's and are the same whichever coordinator answers.
/// </summary>
public sealed class FailoverUplinkTransport : IUplinkTransport, IDisposable
{
    private readonly CoordinatorAddresses _addresses;
    private readonly AgentToken _token;
    private readonly CoordinatorTrust? _trust;
    private readonly ConcurrentDictionary<CoordinatorAddress, GrpcUplinkTransport> _channels = new();
    private bool _connectedBefore;

    /// <summary>Starts at a random coordinator of the list, so a fleet spreads over them.</summary>
    public FailoverUplinkTransport(IReadOnlyList<Uri> coordinators, AgentToken token, CoordinatorTrust? trust)
        : this(new CoordinatorAddresses(coordinators, Dns.GetHostAddressesAsync, Random.Shared.Next(coordinators.Count)), token, trust)
    {
    }

    public FailoverUplinkTransport(CoordinatorAddresses addresses, AgentToken token, CoordinatorTrust? trust)
    {
        _addresses = addresses;
        _token = token;
        _trust = trust;
    }

    public async Task<IUplinkConnection> ConnectAsync(AgentHello hello, CancellationToken cancellationToken)
    {
        // The uplink calls again only after the last stream was lost or refused: that coordinator's turn is over.
        if (_connectedBefore)
            _addresses.MoveNext();
        _connectedBefore = true;
        var address = await _addresses.CurrentAsync(cancellationToken);
        var channel = _channels.GetOrAdd(address, a => new GrpcUplinkTransport(a, _token, _trust, TimeProvider.System));
        try
        {
            return await channel.ConnectAsync(hello, cancellationToken);
        }
        catch (Exception e) when (e is not AgentTokenException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            throw new CoordinatorUnreachableException(address, e);
        }
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
            channel.Dispose();
    }
}

/// <summary>Connecting to one coordinator failed or it refused the stream; the message names it (and the uplink's log shows it).</summary>
public sealed class CoordinatorUnreachableException(CoordinatorAddress address, Exception cause)
    : IOException(Describe(address, cause))
{
    /// <summary>A gRPC refusal says what the coordinator answered (Unauthenticated, PermissionDenied); other errors their innermost cause.</summary>
    private static string Describe(CoordinatorAddress address, Exception cause) => cause switch
    {
        Grpc.Core.RpcException { StatusCode: not (Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.Internal) } refused =>
            $"coordinator {address} refused the stream: {refused.StatusCode}: {refused.Status.Detail}",
        System.Security.Authentication.AuthenticationException untrusted => $"coordinator {address} unreachable: {untrusted.Message}",
        _ => $"coordinator {address} unreachable: {cause.GetBaseException().Message}",
    };
}

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
    private readonly string _token;
    private readonly ConcurrentDictionary<Uri, GrpcUplinkTransport> _channels = new();
    private bool _connectedBefore;

    public FailoverUplinkTransport(IReadOnlyList<Uri> coordinators, string token)
        : this(new CoordinatorAddresses(coordinators, Dns.GetHostAddressesAsync, Random.Shared.Next(coordinators.Count)), token)
    {
    }

    /// <summary>Starts at a random coordinator of the list, so a fleet spreads over them.</summary>
    public FailoverUplinkTransport(CoordinatorAddresses addresses, string token)
    {
        _addresses = addresses;
        _token = token;
    }

    public async Task<IUplinkConnection> ConnectAsync(AgentHello hello, CancellationToken cancellationToken)
    {
        // The uplink calls again only after the last stream was lost or refused: that coordinator's turn is over.
        if (_connectedBefore)
            _addresses.MoveNext();
        _connectedBefore = true;
        var address = await _addresses.CurrentAsync(cancellationToken);
        var channel = _channels.GetOrAdd(address, a => new GrpcUplinkTransport(a, _token));
        try
        {
            return await channel.ConnectAsync(hello, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
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

/// <summary>Connecting to one coordinator failed; the message names it (and the uplink's log shows it).</summary>
public sealed class CoordinatorUnreachableException(Uri address, Exception cause)
    : IOException($"coordinator {address} unreachable: {cause.GetBaseException().Message}");

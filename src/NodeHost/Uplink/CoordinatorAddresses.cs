using System.Net;

namespace NodeHealth.NodeHost.Uplink;

/// <summary>
/// The coordinators an agent may stream to, in the order it tries them: the configured URLs, each host
/// name that resolves to several addresses (a headless Service) expanded to one entry per address, dialled
/// by address while the URL keeps the name (so TLS verifies the name the certificate carries). After a
/// connection is lost or refused the next one is tried, so an agent whose coordinator died reaches another
/// at its next attempt. Re-resolved at every round, so coordinators that moved are found.
/// </summary>
public sealed class CoordinatorAddresses(IReadOnlyList<Uri> configured, Func<string, CancellationToken, Task<IPAddress[]>> resolve, int start)
{
    private IReadOnlyList<CoordinatorAddress> _round = [];
    private int _position = start;

    public IReadOnlyList<Uri> Configured => configured;

    /// <summary>The address to try now; resolves names again whenever a round of them has been tried.</summary>
    public async Task<CoordinatorAddress> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_round.Count == 0 || _position >= _round.Count)
        {
            _round = await ExpandAsync(cancellationToken);
            _position %= Math.Max(1, _round.Count);
        }

        return _round[_position];
    }

    /// <summary>The current address failed or its stream was lost: the next attempt goes to the next one.</summary>
    public void MoveNext() => _position++;

    private async Task<IReadOnlyList<CoordinatorAddress>> ExpandAsync(CancellationToken cancellationToken)
    {
        var expanded = new List<CoordinatorAddress>();
        foreach (var url in configured)
        {
            if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
            {
                expanded.Add(new CoordinatorAddress(url, null));
                continue;
            }

            IPAddress[] addresses;
            try
            {
                addresses = await resolve(url.DnsSafeHost, cancellationToken);
            }
            catch (System.Net.Sockets.SocketException)
            {
                addresses = []; // Not resolvable right now: keep the name, the connect attempt says why.
            }

            // One address: let the connection resolve it; several: one entry each, so each coordinator gets its own try.
            if (addresses.Length <= 1)
                expanded.Add(new CoordinatorAddress(url, null));
            else
                expanded.AddRange(addresses.Distinct().Select(a => new CoordinatorAddress(url, a)));
        }

        return expanded.Distinct().ToList();
    }
}

/// <summary>One coordinator to try: its URL as configured and, for a name resolving to several, the address to dial.</summary>
public sealed record CoordinatorAddress(Uri Url, IPAddress? Dial)
{
    /// <summary>For logs: the URL with the dialled address, e.g. https://coordinator:8081 (10.1.0.7).</summary>
    public override string ToString() => Dial is null ? Url.ToString().TrimEnd('/') : $"{Url.ToString().TrimEnd('/')} ({Dial})";
}

using System.Net;

namespace NodeHealth.NodeHost.Uplink;

/// <summary>
/// The coordinators an agent may stream to, in the order it tries them: the configured URLs, each host
/// name that resolves to several addresses (a headless Service) expanded to one URL per address. After a
/// connection is lost or refused the next one is tried, so an agent whose coordinator died reaches another
/// at its next attempt. Re-resolved at every round, so coordinators that moved are found.
/// </summary>
public sealed class CoordinatorAddresses(IReadOnlyList<Uri> configured, Func<string, CancellationToken, Task<IPAddress[]>> resolve, int start)
{
    private IReadOnlyList<Uri> _round = [];
    private int _position = start;

    public IReadOnlyList<Uri> Configured => configured;

    /// <summary>The address to try now; resolves names again whenever a round of them has been tried.</summary>
    public async Task<Uri> CurrentAsync(CancellationToken cancellationToken)
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

    private async Task<IReadOnlyList<Uri>> ExpandAsync(CancellationToken cancellationToken)
    {
        var expanded = new List<Uri>();
        foreach (var url in configured)
        {
            if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
            {
                expanded.Add(url);
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

            // One address: keep the name (TLS verifies it); several: one URL each, so each coordinator gets its own try.
            if (addresses.Length <= 1)
                expanded.Add(url);
            else
                expanded.AddRange(addresses.Distinct().Select(a => new UriBuilder(url) { Host = a.ToString() }.Uri));
        }

        return expanded.Distinct().ToList();
    }
}

using System.Net;
using NodeHealth.NodeHost.Uplink;

namespace NodeHealth.NodeHost.Tests.Uplink;

public sealed class CoordinatorAddressesTests
{
    private static readonly Uri[] Three = [new("http://10.0.0.1:8081"), new("http://10.0.0.2:8081"), new("http://10.0.0.3:8081")];

    [Fact]
    public async Task After_a_lost_stream_the_next_coordinator_of_the_list_is_tried_and_the_list_wraps()
    {
        var addresses = new CoordinatorAddresses(Three, NoDns, start: 1);

        List<string> tried = [];
        for (var attempt = 0; attempt < 4; attempt++)
        {
            tried.Add((await addresses.CurrentAsync(CancellationToken.None)).Url.Authority);
            addresses.MoveNext();
        }

        Assert.Equal(["10.0.0.2:8081", "10.0.0.3:8081", "10.0.0.1:8081", "10.0.0.2:8081"], tried);
    }

    [Fact]
    public async Task A_service_name_resolving_to_several_coordinators_is_one_address_each_with_the_port_kept()
    {
        var addresses = new CoordinatorAddresses([new Uri("http://coordinator.node-health:8081")],
            (_, _) => Task.FromResult(new[] { IPAddress.Parse("10.1.0.7"), IPAddress.Parse("10.1.0.8") }), start: 0);

        var first = await addresses.CurrentAsync(CancellationToken.None);
        addresses.MoveNext();
        var second = await addresses.CurrentAsync(CancellationToken.None);

        // Dialled by address; the URL keeps the name, which TLS verifies against the certificate.
        Assert.Equal(("http://coordinator.node-health:8081/", "10.1.0.7"), (first.Url.ToString(), first.Dial?.ToString()));
        Assert.Equal(("http://coordinator.node-health:8081/", "10.1.0.8"), (second.Url.ToString(), second.Dial?.ToString()));
        Assert.Equal("http://coordinator.node-health:8081 (10.1.0.7)", first.ToString());
    }

    [Fact]
    public async Task A_name_is_resolved_again_each_round_so_a_coordinator_that_moved_is_found()
    {
        var answers = new Queue<IPAddress[]>([[IPAddress.Parse("10.1.0.7"), IPAddress.Parse("10.1.0.8")], [IPAddress.Parse("10.1.0.9"), IPAddress.Parse("10.1.0.8")]]);
        var addresses = new CoordinatorAddresses([new Uri("http://coordinator:8081")], (_, _) => Task.FromResult(answers.Dequeue()), start: 0);

        List<string> tried = [];
        for (var attempt = 0; attempt < 3; attempt++)
        {
            tried.Add((await addresses.CurrentAsync(CancellationToken.None)).Dial!.ToString());
            addresses.MoveNext();
        }

        Assert.Equal(["10.1.0.7", "10.1.0.8", "10.1.0.9"], tried);
    }

    [Fact]
    public async Task A_name_with_one_address_or_none_yet_is_kept_as_written()
    {
        var one = new CoordinatorAddresses([new Uri("https://coordinator.example:8081")], (_, _) => Task.FromResult(new[] { IPAddress.Parse("10.1.0.7") }), 0);
        var none = new CoordinatorAddresses([new Uri("http://not-yet:8081")],
            (_, _) => Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException(11001)), 0);

        Assert.Equal(("coordinator.example", (IPAddress?)null), ((await one.CurrentAsync(CancellationToken.None)).Url.Host, (await one.CurrentAsync(CancellationToken.None)).Dial));
        Assert.Equal(("not-yet", (IPAddress?)null), ((await none.CurrentAsync(CancellationToken.None)).Url.Host, (await none.CurrentAsync(CancellationToken.None)).Dial));
    }

    private static Task<IPAddress[]> NoDns(string host, CancellationToken cancellation) =>
        throw new InvalidOperationException($"IP addresses are not resolved, yet {host} was");
}

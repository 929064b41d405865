using NodeHealth.Contracts.Wire;
using NodeHealth.NodeHost.Uplink;

namespace NodeHealth.NodeHost.Tests.Uplink;

public sealed class FailoverUplinkTransportTests
{
    [Fact]
    public async Task A_refused_coordinator_is_named_and_the_next_attempt_goes_to_the_next_one()
    {
        // Nothing listens on these loopback ports: each attempt is refused at once.
        var first = new Uri($"http://127.0.0.1:{ClosedPort()}");
        var second = new Uri($"http://127.0.0.1:{ClosedPort()}");
        using var transport = new FailoverUplinkTransport(new CoordinatorAddresses([first, second], (_, _) => Task.FromResult(Array.Empty<System.Net.IPAddress>()), 0), AgentToken.Fixed("token"), null);
        var hello = new AgentHello("node-a", "run-1", "test", []);

        var refused = await Assert.ThrowsAsync<CoordinatorUnreachableException>(() => transport.ConnectAsync(hello, CancellationToken.None));
        var next = await Assert.ThrowsAsync<CoordinatorUnreachableException>(() => transport.ConnectAsync(hello, CancellationToken.None));
        var again = await Assert.ThrowsAsync<CoordinatorUnreachableException>(() => transport.ConnectAsync(hello, CancellationToken.None));

        Assert.Contains($"coordinator {first.ToString().TrimEnd('/')}", refused.Message);
        Assert.Contains($"coordinator {second.ToString().TrimEnd('/')}", next.Message);
        Assert.Contains($"coordinator {first.ToString().TrimEnd('/')}", again.Message);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

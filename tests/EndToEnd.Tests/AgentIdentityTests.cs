using Grpc.Core;
using NodeHealth.Contracts.Wire;
using NodeHealth.EndToEnd.Tests.Support;
using NodeHealth.Kubernetes.Tests.Identity;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;
using NodeHealth.NodeHost.Uplink;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// A real coordinator in its Kubernetes shape (TokenReview against the test API server, TLS on the ingest port)
/// and a real agent with a projected token and the CA bundle: the agent reports for its own node, while a
/// stream for that node opened with another node's token, or with no valid token, is refused.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AgentIdentityTests : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private KubernetesStand _stand = null!;

    public async Task InitializeAsync() => _stand = await KubernetesStand.StartAsync("nh-identity");

    public async Task DisposeAsync() => await _stand.DisposeAsync();

    [Fact]
    public async Task An_agent_reports_for_its_own_node_over_TLS_and_another_nodes_token_is_refused()
    {
        var node = $"e2e-id-{_run}";
        using var certificates = new TestCertificates(Path.Combine(_stand.Scratch, "tls"));
        certificates.IssueServer("127.0.0.1");
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        coordinator.ExtraArguments.AddRange([
            .. _stand.CoordinatorArguments,
            "--Coordinator:AgentAuthentication=TokenReview",
            $"--Coordinator:IngestTls:CertificateFile={certificates.CertificateFile}",
            $"--Coordinator:IngestTls:KeyFile={certificates.KeyFile}",
        ]);
        await coordinator.StartAsync();
        var ingest = new Uri($"https://127.0.0.1:{coordinator.GrpcPort}");
        var tokenFile = _stand.File("token", _stand.Server.Tokens.IssueProjected(node, DateTimeOffset.UtcNow.AddHours(1)));
        await using var agent = new AgentUnderTest(coordinator, node);
        agent.ExtraArguments.AddRange([$"--Agent:CoordinatorUrl={ingest}", $"--Agent:TokenFile={tokenFile}", $"--Agent:CoordinatorCaFile={certificates.CaFile}"]);

        await agent.StartAsync();

        await Eventually.ValueAsync(() => coordinator.NodeAsync(node), view => view is not null, TimeSpan.FromSeconds(30),
            _ => $"node {node} never appeared:\nagent:\n{agent.Output}\ncoordinator:\n{coordinator.Output}");
        Assert.Contains("Agent authentication: TokenReview", coordinator.Output);
        Assert.Contains("Ingest TLS: port", coordinator.Output);
        Assert.True(_stand.Server.Tokens.Reviews >= 1);

        var stolen = _stand.Server.Tokens.IssueProjected($"e2e-other-{_run}", DateTimeOffset.UtcNow.AddHours(1));
        var trust = CoordinatorTrust.Load(certificates.CaFile);
        var hello = new AgentHello(node, "intruder-run", "test", []);
        using var intruder = new GrpcUplinkTransport(new CoordinatorAddress(ingest, null), AgentToken.Fixed(stolen), trust, TimeProvider.System);
        using var stranger = new GrpcUplinkTransport(new CoordinatorAddress(ingest, null), AgentToken.Fixed("not-a-token"), trust, TimeProvider.System);

        var denied = await Assert.ThrowsAsync<RpcException>(() => intruder.ConnectAsync(hello, CancellationToken.None));
        var unauthenticated = await Assert.ThrowsAsync<RpcException>(() => stranger.ConnectAsync(hello, CancellationToken.None));

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Contains($"bound to node 'e2e-other-{_run}', so it may not report for node '{node}'", denied.Status.Detail);
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);

        // A stream lives no longer than the token that opened it: the coordinator ends it at the token's exp.
        var shortLived = _stand.Server.Tokens.IssueProjected(node, DateTimeOffset.UtcNow.AddSeconds(3));
        using var brief = new GrpcUplinkTransport(new CoordinatorAddress(ingest, null), AgentToken.Fixed(shortLived), trust, TimeProvider.System);
        await using var stream = await brief.ConnectAsync(new AgentHello(node, "brief-run", "test", []), CancellationToken.None);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var expired = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in stream.ReadAllAsync(deadline.Token))
            {
            }
        });
        Assert.Equal(StatusCode.Unauthenticated, expired.StatusCode);
        Assert.Contains("has expired; reconnect with the current one", expired.Status.Detail);
    }

    [Fact]
    public async Task TokenReview_without_Kubernetes_refuses_to_start_and_names_the_setting()
    {
        await using var process = SystemProcess.Start("coordinator", Paths.Dotnet,
            [Paths.CoordinatorDll, $"--Coordinator:DataDirectory={_stand.Scratch}", "--no-agent", "--Kubernetes:Enabled=false", "--Coordinator:AgentAuthentication=TokenReview"]);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Coordinator:AgentAuthentication=TokenReview needs a Kubernetes API server", process.Output);
    }
}

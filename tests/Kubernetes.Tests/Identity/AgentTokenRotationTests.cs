using System.Net;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using NodeHealth.Contracts.Wire;
using NodeHealth.Coordinator.Security.Agents;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;
using NodeHealth.NodeHost.Uplink;

namespace NodeHealth.Kubernetes.Tests.Identity;

/// <summary>
/// The agent's projected token as the kubelet keeps it (files behind a ..data symlink swapped atomically on
/// rotation): every stream carries the file's current token, and an open stream makes way for a rotated one.
/// </summary>
public sealed class AgentTokenRotationTests : IAsyncLifetime
{
    private readonly string _volume = Path.Combine(Path.GetTempPath(), $"nh-token-{Guid.NewGuid():N}");
    private TestApiServer _server = null!;
    private IngestFront _front = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        var authenticator = new TokenReviewAuthenticator(new TokenReviewer(_server.Client(), TimeSpan.FromSeconds(5), []),
            new ReviewCache(TimeProvider.System), TimeProvider.System, NullLogger<TokenReviewAuthenticator>.Instance);
        _front = await IngestFront.StartAsync(authenticator, certificate: null);
    }

    public async Task DisposeAsync()
    {
        await _front.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_volume, recursive: true);
    }

    [Fact]
    public async Task A_rotated_token_file_ends_the_open_stream_and_the_next_one_carries_the_new_token()
    {
        var first = _server.Tokens.IssueProjected("node-a", DateTimeOffset.UtcNow.AddHours(1));
        var second = _server.Tokens.IssueProjected("node-a", DateTimeOffset.UtcNow.AddHours(2));
        var tokenFile = KubeletWrites(first);
        using var transport = new GrpcUplinkTransport(new CoordinatorAddress(new Uri($"http://127.0.0.1:{_front.Port}"), null),
            AgentToken.FromFile(tokenFile), null, TimeProvider.System) { TokenCheckEvery = TimeSpan.FromMilliseconds(50) };
        var hello = new AgentHello("node-a", "run-1", "test", []);

        await using (var connection = await transport.ConnectAsync(hello, CancellationToken.None))
        {
            KubeletWrites(second);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var rotated = await Assert.ThrowsAsync<TokenRotatedException>(async () =>
            {
                await foreach (var _ in connection.ReadAllAsync(deadline.Token))
                {
                }
            });
            Assert.Contains($"Agent:TokenFile '{tokenFile}' was rotated", rotated.Message);
        }

        await using (await transport.ConnectAsync(hello, CancellationToken.None))
            Assert.Equal([first, second], _front.TokensPresented);
    }

    [Fact]
    public async Task An_agent_holding_another_nodes_token_is_refused_with_PermissionDenied()
    {
        var tokenFile = KubeletWrites(_server.Tokens.IssueProjected("node-b", DateTimeOffset.UtcNow.AddHours(1)));
        using var transport = new FailoverUplinkTransport(
            new CoordinatorAddresses([new Uri($"http://127.0.0.1:{_front.Port}")], (_, _) => Task.FromResult(Array.Empty<IPAddress>()), 0), AgentToken.FromFile(tokenFile), null);

        var refused = await Assert.ThrowsAsync<CoordinatorUnreachableException>(() => transport.ConnectAsync(new AgentHello("node-a", "run-1", "test", []), CancellationToken.None));

        Assert.Contains("refused the stream: PermissionDenied: system:serviceaccount:node-health:node-health-agent holds a token bound to node 'node-b', so it may not report for node 'node-a'", refused.Message);
    }

    [Fact]
    public void A_token_file_that_is_missing_or_empty_is_named_when_connecting()
    {
        Directory.CreateDirectory(_volume);
        var empty = Path.Combine(_volume, "empty");
        File.WriteAllText(empty, "\n");

        Assert.Contains("is empty", Assert.Throws<AgentTokenException>(() => AgentToken.FromFile(empty).Current()).Message);
        Assert.Contains("cannot be read", Assert.Throws<AgentTokenException>(() => AgentToken.FromFile(Path.Combine(_volume, "missing")).Current()).Message);
    }

    /// <summary>rename(2): replaces the ..data link in one step, as the kubelet does (File.Move will not move a link to a directory).</summary>
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string from, string to);

    /// <summary>What the kubelet's atomic writer does: a new timestamped directory, then ..data swapped to it by rename.</summary>
    private string KubeletWrites(string token)
    {
        Directory.CreateDirectory(_volume);
        var version = Path.Combine(_volume, $"..{DateTime.UtcNow:yyyy_MM_dd_HH_mm_ss.fffffff}{Guid.NewGuid():N}");
        Directory.CreateDirectory(version);
        File.WriteAllText(Path.Combine(version, "token"), token);
        var next = Path.Combine(_volume, "..data_tmp");
        File.CreateSymbolicLink(next, Path.GetFileName(version));
        if (Rename(next, Path.Combine(_volume, "..data")) != 0)
            throw new IOException($"rename to ..data failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        var tokenFile = Path.Combine(_volume, "token");
        if (!File.Exists(tokenFile))
            File.CreateSymbolicLink(tokenFile, Path.Combine("..data", "token"));
        return tokenFile;
    }
}

using Grpc.Core;
using NodeHealth.Coordinator.Security;
using NodeHealth.Coordinator.Security.Agents;

namespace NodeHealth.Kubernetes.Tests.Identity;

/// <summary>What an authenticated stream may do, and for how long.</summary>
public sealed class AgentIdentityTests
{
    [Fact]
    public async Task The_shared_token_may_report_for_any_node_and_a_wrong_one_is_Unauthenticated()
    {
        var authenticator = new SharedTokenAuthenticator(new IngestToken("shared"));

        var holder = await authenticator.AuthenticateAsync(new Metadata { { "authorization", "Bearer shared" } }, CancellationToken.None);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => authenticator.AuthenticateAsync(new Metadata { { "authorization", "Bearer other" } }, CancellationToken.None));

        holder.Authorize("node-a");
        holder.Authorize("node-b");
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
    }

    [Fact]
    public async Task A_stream_ends_when_its_token_expires_and_a_token_without_expiry_never_ends_it()
    {
        using var soon = new AgentIdentity("agent", "node-a", DateTimeOffset.UtcNow.AddMilliseconds(200)).Expiry(TimeProvider.System);
        using var never = new AgentIdentity("agent", null, null).Expiry(TimeProvider.System);
        using var months = new AgentIdentity("agent", "node-a", DateTimeOffset.UtcNow.AddDays(365)).Expiry(TimeProvider.System);

        await Task.Delay(Timeout.Infinite, soon.Token).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(soon.IsCancellationRequested);
        Assert.False(never.IsCancellationRequested);
        Assert.False(months.IsCancellationRequested);
    }
}

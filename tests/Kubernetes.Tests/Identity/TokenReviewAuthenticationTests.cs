using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using NodeHealth.Coordinator.Security.Agents;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.Kubernetes.Tests.Identity;

/// <summary>
/// Agents authenticated by a TokenReview against the test API server: a projected token is accepted for the
/// node its pod runs on and for no other; invalid, expired and foreign tokens are refused; answers are cached.
/// </summary>
public sealed class TokenReviewAuthenticationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset InAnHour = DateTimeOffset.UtcNow.AddHours(1);
    private TestApiServer _server = null!;
    private TokenReviewAuthenticator _authenticator = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _authenticator = Authenticator(_server, []);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_projected_token_is_accepted_for_the_node_its_pod_runs_on()
    {
        var token = _server.Tokens.IssueProjected("node-a", InAnHour);

        var agent = await _authenticator.AuthenticateAsync(Bearer(token), CancellationToken.None);

        Assert.Equal(("system:serviceaccount:node-health:node-health-agent", "node-a"), (agent.Subject, agent.Node));
        Assert.Equal(InAnHour.ToUnixTimeSeconds(), agent.ExpiresAt!.Value.ToUnixTimeSeconds());
        agent.Authorize("node-a");
    }

    [Fact]
    public async Task An_agent_holding_another_nodes_token_is_refused_with_PermissionDenied()
    {
        var stolen = _server.Tokens.IssueProjected("node-b", InAnHour);

        var agent = await _authenticator.AuthenticateAsync(Bearer(stolen), CancellationToken.None);
        var refused = Assert.Throws<RpcException>(() => agent.Authorize("node-a"));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("bound to node 'node-b', so it may not report for node 'node-a'", refused.Status.Detail);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln")]
    public async Task A_token_the_API_server_does_not_know_is_Unauthenticated(string token)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => _authenticator.AuthenticateAsync(Bearer(token), CancellationToken.None));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("invalid bearer token", refused.Status.Detail);
    }

    [Fact]
    public async Task An_expired_token_is_Unauthenticated()
    {
        var expired = _server.Tokens.IssueProjected("node-a", DateTimeOffset.UtcNow.AddSeconds(-5));

        var refused = await Assert.ThrowsAsync<RpcException>(() => _authenticator.AuthenticateAsync(Bearer(expired), CancellationToken.None));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("has expired", refused.Status.Detail);
    }

    [Fact]
    public async Task A_token_for_another_audience_or_without_a_header_is_Unauthenticated()
    {
        var vault = _server.Tokens.IssueProjected("node-a", InAnHour, audience: "vault");

        var foreign = await Assert.ThrowsAsync<RpcException>(() => _authenticator.AuthenticateAsync(Bearer(vault), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<RpcException>(() => _authenticator.AuthenticateAsync([], CancellationToken.None));

        Assert.Equal((StatusCode.Unauthenticated, StatusCode.Unauthenticated), (foreign.StatusCode, missing.StatusCode));
        Assert.Contains("missing bearer token", missing.Status.Detail);
    }

    [Fact]
    public async Task A_token_of_a_service_account_that_is_not_the_agents_is_PermissionDenied_when_the_agents_are_named()
    {
        var authenticator = Authenticator(_server, ["node-health:node-health-agent"]);
        var other = _server.Tokens.IssueProjected("node-a", InAnHour, serviceAccount: "default", ns: "team-a");
        var agent = _server.Tokens.IssueProjected("node-a", InAnHour);

        var refused = await Assert.ThrowsAsync<RpcException>(() => authenticator.AuthenticateAsync(Bearer(other), CancellationToken.None));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("system:serviceaccount:team-a:default is not one of the agents' service accounts", refused.Status.Detail);
        Assert.Equal("node-a", (await authenticator.AuthenticateAsync(Bearer(agent), CancellationToken.None)).Node);
    }

    [Fact]
    public async Task A_token_that_is_not_bound_to_a_pod_names_no_node_and_is_PermissionDenied()
    {
        _server.Tokens.Issue("legacy-secret-token", new IssuedToken("node-health-agent", "node-health", "node-health", NodeName: null));

        var refused = await Assert.ThrowsAsync<RpcException>(() => _authenticator.AuthenticateAsync(Bearer("legacy-secret-token"), CancellationToken.None));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("names no node", refused.Status.Detail);
    }

    [Fact]
    public async Task Streams_opened_with_the_same_token_share_one_TokenReview()
    {
        var token = _server.Tokens.IssueProjected("node-a", InAnHour);

        var together = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _authenticator.AuthenticateAsync(Bearer(token), CancellationToken.None)));
        var later = await _authenticator.AuthenticateAsync(Bearer(token), CancellationToken.None);

        Assert.All(together.Append(later), a => Assert.Equal("node-a", a.Node));
        Assert.Equal(1, _server.Tokens.Reviews);
    }

    [Fact]
    public async Task An_API_server_that_fails_answers_Unavailable_and_the_failure_is_not_cached()
    {
        var token = _server.Tokens.IssueProjected("node-a", InAnHour);
        _server.Faults.Add(new Fault("POST", "/apis/authentication.k8s.io/v1/tokenreviews", 503, Times: 1));

        var unavailable = await Assert.ThrowsAsync<RpcException>(() => _authenticator.AuthenticateAsync(Bearer(token), CancellationToken.None));
        var retried = await _authenticator.AuthenticateAsync(Bearer(token), CancellationToken.None);

        Assert.Equal(StatusCode.Unavailable, unavailable.StatusCode);
        Assert.Contains("HTTP 503", unavailable.Status.Detail);
        Assert.Equal("node-a", retried.Node);
    }

    [Fact]
    public async Task A_coordinator_not_allowed_to_create_TokenReviews_answers_Unavailable_naming_the_missing_permission()
    {
        _server.Faults.Add(new Fault("POST", "/apis/authentication.k8s.io/v1/tokenreviews", 403, Times: 1));

        var unavailable = await Assert.ThrowsAsync<RpcException>(() => _authenticator.AuthenticateAsync(Bearer("any"), CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, unavailable.StatusCode);
        Assert.Contains("'create' on tokenreviews.authentication.k8s.io", unavailable.Status.Detail);
    }

    [Fact]
    public async Task An_API_server_that_cannot_be_reached_answers_Unavailable()
    {
        var gone = await TestApiServer.StartAsync();
        var authenticator = Authenticator(gone, []);
        await gone.DisposeAsync();

        var unavailable = await Assert.ThrowsAsync<RpcException>(() => authenticator.AuthenticateAsync(Bearer("any"), CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, unavailable.StatusCode);
        Assert.Contains("unreachable", unavailable.Status.Detail);
    }

    private static TokenReviewAuthenticator Authenticator(TestApiServer server, IReadOnlyCollection<string> serviceAccounts) => new(
        new TokenReviewer(server.Client(), TimeSpan.FromSeconds(5), serviceAccounts),
        new ReviewCache(TimeProvider.System), TimeProvider.System, NullLogger<TokenReviewAuthenticator>.Instance);

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };
}

using Grpc.Core;
using k8s.Models;
using NodeHealth.Coordinator.Security;
using NodeHealth.Coordinator.Security.Agents;
using NodeHealth.Kubernetes.Tests.Support;

namespace NodeHealth.Kubernetes.Tests.Identity;

/// <summary>How long TokenReview answers are kept, how many, and what a review's answer means.</summary>
public sealed class ReviewCacheTests
{
    private static readonly DateTime Start = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
    private readonly ManualClock _clock = new(Start);

    [Fact]
    public void An_accepted_token_is_kept_for_a_minute()
    {
        var cache = new ReviewCache(_clock);
        cache.Keep("k", Accepted("node-a", expires: null));

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.NotNull(cache.Find("k"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(cache.Find("k"));
    }

    [Fact]
    public void An_accepted_token_is_never_kept_past_its_own_expiry()
    {
        var cache = new ReviewCache(_clock);
        cache.Keep("soon", Accepted("node-a", expires: new DateTimeOffset(Start).AddSeconds(10)));
        cache.Keep("gone", Accepted("node-a", expires: new DateTimeOffset(Start).AddSeconds(-1)));

        Assert.Null(cache.Find("gone"));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(cache.Find("soon"));
    }

    [Fact]
    public void A_refusal_is_kept_for_seconds_and_an_unavailable_answer_not_at_all()
    {
        var cache = new ReviewCache(_clock);
        cache.Keep("refused", new ReviewRefused(StatusCode.Unauthenticated, "invalid bearer token"));
        cache.Keep("unavailable", new ReviewUnavailable("the API server is unreachable"));

        Assert.Null(cache.Find("unavailable"));
        Assert.IsType<ReviewRefused>(cache.Find("refused"));
        _clock.Advance(ReviewCache.RefusedFor);
        Assert.Null(cache.Find("refused"));
    }

    [Fact]
    public void A_full_cache_drops_the_answers_that_expire_first()
    {
        var cache = new ReviewCache(_clock, capacity: 3);
        cache.Keep("refused", new ReviewRefused(StatusCode.Unauthenticated, "invalid"));
        cache.Keep("a", Accepted("node-a", null));
        cache.Keep("b", Accepted("node-b", null));

        cache.Keep("c", Accepted("node-c", null));

        Assert.Equal(3, cache.Count);
        Assert.Null(cache.Find("refused"));
        Assert.All(new[] { "a", "b", "c" }, key => Assert.NotNull(cache.Find(key)));
    }

    [Fact]
    public void The_expiry_is_read_from_a_projected_tokens_claims_and_anything_else_has_none()
    {
        // {"alg":"RS256"} . {"aud":["node-health"],"exp":1795000000} . signature
        const string jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOlsibm9kZS1oZWFsdGgiXSwiZXhwIjoxNzk1MDAwMDAwfQ.c2lnbmF0dXJl";

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795000000), BearerToken.ExpiresAt(jwt));
        Assert.Null(BearerToken.ExpiresAt("e2e-ingest-token"));
        Assert.Null(BearerToken.ExpiresAt("a.%%%.c"));
        Assert.Null(BearerToken.ExpiresAt("a.W10.c")); // [] is not a claims object
    }

    [Fact]
    public void An_authenticated_review_without_our_audience_is_a_token_for_the_API_server_and_refused()
    {
        var status = new V1TokenReviewStatus { Authenticated = true, User = new V1UserInfo { Username = "system:serviceaccount:x:y" }, Audiences = [] };

        var refused = Assert.IsType<ReviewRefused>(TokenReviewer.Judge(status, "t", []));

        Assert.Equal(StatusCode.Unauthenticated, refused.Code);
        Assert.Contains("not for audience 'node-health'", refused.Why);
    }

    [Theory]
    [InlineData("system:serviceaccount:node-health:node-health-agent", "node-health:node-health-agent")]
    [InlineData("system:node:node-a", null)]
    [InlineData("system:serviceaccount:a:b:c", null)]
    public void Service_account_user_names_read_as_namespace_and_name(string user, string? expected) =>
        Assert.Equal(expected, TokenReviewer.ServiceAccountOf(user));

    private static ReviewAccepted Accepted(string node, DateTimeOffset? expires) =>
        new(new AgentIdentity("system:serviceaccount:node-health:node-health-agent", node, expires));
}

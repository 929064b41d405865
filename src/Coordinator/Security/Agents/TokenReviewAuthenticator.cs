using System.Collections.Concurrent;
using Grpc.Core;

namespace NodeHealth.Coordinator.Security.Agents;

/// <summary>
/// Coordinator:AgentAuthentication=TokenReview: the agent's projected ServiceAccount token, judged by a
/// TokenReview (see <see cref="TokenReviewer"/>), answers kept in a <see cref="ReviewCache"/>. Agents that
/// present the same token at once share one review, so a fleet reconnecting after a restart asks once per agent.
/// </summary>
public sealed class TokenReviewAuthenticator(TokenReviewer reviewer, ReviewCache cache, TimeProvider clock, ILogger<TokenReviewAuthenticator> log)
    : IAgentAuthenticator
{
    private static readonly TimeSpan UnavailableLogEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Task<ReviewOutcome>> _inFlight = new(StringComparer.Ordinal);
    private readonly Lock _logGate = new();
    private DateTimeOffset _unavailableLoggedAt = DateTimeOffset.MinValue;
    private int _unavailableSinceLog;

    public string Description =>
        $"TokenReview (agents present a projected ServiceAccount token for audience {TokenReviewer.Audience}; each stream is bound to the token's node)";

    /// <summary>TokenReviews sent so far (cache misses).</summary>
    public int Reviews => _reviews;

    private int _reviews;

    public async Task<AgentIdentity> AuthenticateAsync(Metadata headers, CancellationToken cancellation)
    {
        var token = BearerToken.From(headers.GetValue("authorization"))
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated,
                "missing bearer token: the agent sends its projected ServiceAccount token (Agent:TokenFile) as 'authorization: Bearer <token>'"));
        if (token.Length > BearerToken.MaxLength)
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"the bearer token is longer than {BearerToken.MaxLength} characters: not a ServiceAccount token"));

        var key = BearerToken.Key(token);
        var outcome = cache.Find(key) ?? await Shared(key, token).WaitAsync(cancellation);
        if (outcome is ReviewUnavailable unavailable)
            NoteUnavailable(unavailable);
        return outcome.IdentityOrThrow();
    }

    private Task<ReviewOutcome> Shared(string key, string token)
    {
        while (true)
        {
            if (_inFlight.TryGetValue(key, out var running))
                return running;
            var review = new TaskCompletionSource<ReviewOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_inFlight.TryAdd(key, review.Task))
                continue;
            _ = ReviewAsync(key, token, review);
            return review.Task;
        }
    }

    /// <summary>Never cancelled by one waiting agent: the others (and the cache) want the answer too; the reviewer has its own timeout.</summary>
    private async Task ReviewAsync(string key, string token, TaskCompletionSource<ReviewOutcome> review)
    {
        ReviewOutcome outcome;
        try
        {
            Interlocked.Increment(ref _reviews);
            outcome = await reviewer.ReviewAsync(token, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogError(e, "TokenReview failed unexpectedly");
            outcome = new ReviewUnavailable($"the TokenReview failed: {e.Message}");
        }

        cache.Keep(key, outcome);
        _inFlight.TryRemove(KeyValuePair.Create(key, review.Task));
        review.SetResult(outcome);
    }

    /// <summary>The API server being away affects every agent at once: one warning a minute says so, with a count.</summary>
    private void NoteUnavailable(ReviewUnavailable unavailable)
    {
        lock (_logGate)
        {
            _unavailableSinceLog++;
            var now = clock.GetUtcNow();
            if (now - _unavailableLoggedAt < UnavailableLogEvery)
                return;
            log.LogWarning("Agent streams refused as Unavailable ({Count} since the last warning): {Why}", _unavailableSinceLog, unavailable.Why);
            _unavailableLoggedAt = now;
            _unavailableSinceLog = 0;
        }
    }
}

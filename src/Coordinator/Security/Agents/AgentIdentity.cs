using Grpc.Core;

namespace NodeHealth.Coordinator.Security.Agents;

/// <summary>How agents prove who they are on the ingest stream (Coordinator:AgentAuthentication).</summary>
public enum AgentAuthentication
{
    /// <summary>The shared ingest token (all-in-one and outside Kubernetes): any holder may report for any node.</summary>
    SharedToken,

    /// <summary>The agent's projected ServiceAccount token, checked with a Kubernetes TokenReview; the stream is bound to the token's node.</summary>
    TokenReview,
}

/// <summary>
/// Who opened a stream: <paramref name="Subject"/> for the log, the only node it may report for
/// (null: any, the shared token), and when its credential stops being valid (null: never).
/// </summary>
public sealed record AgentIdentity(string Subject, string? Node, DateTimeOffset? ExpiresAt)
{
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(30);

    /// <summary>Throws PermissionDenied unless this identity may report for <paramref name="node"/> (the hello's node).</summary>
    public void Authorize(string node)
    {
        if (Node is not null && !string.Equals(Node, node, StringComparison.Ordinal))
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"{Subject} holds a token bound to node '{Node}', so it may not report for node '{node}' (an agent reports only for the node its pod runs on)"));
    }

    /// <summary>Cancelled once the credential expires, so a stream lives no longer than the token that opened it.</summary>
    public CancellationTokenSource Expiry(TimeProvider clock)
    {
        if (ExpiresAt is not { } expires)
            return new CancellationTokenSource();
        var left = expires - clock.GetUtcNow();
        if (left > LongestTimer)
            return new CancellationTokenSource(); // A token valid for months: the stream ends with the pod, not on a timer.
        return new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, clock);
    }
}

/// <summary>Checks the credential a stream was opened with; throws Unauthenticated, PermissionDenied or Unavailable as an RpcException.</summary>
public interface IAgentAuthenticator
{
    /// <summary>For the startup log: which authentication is in force and what it binds.</summary>
    string Description { get; }

    Task<AgentIdentity> AuthenticateAsync(Metadata headers, CancellationToken cancellation);
}

/// <summary>Coordinator:AgentAuthentication=SharedToken: the ingest token, compared in constant time.</summary>
public sealed class SharedTokenAuthenticator(IngestToken token) : IAgentAuthenticator
{
    private static readonly AgentIdentity Holder = new("the holder of the shared ingest token", null, null);

    public string Description => "SharedToken (agents present the shared ingest token and may report for any node)";

    public Task<AgentIdentity> AuthenticateAsync(Metadata headers, CancellationToken cancellation)
    {
        if (token.Check(headers.GetValue("authorization")) is { } problem)
            throw new RpcException(new Status(StatusCode.Unauthenticated, problem));
        return Task.FromResult(Holder);
    }
}

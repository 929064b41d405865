using Grpc.Core;

namespace NodeHealth.Coordinator.Security.Agents;

/// <summary>What one TokenReview decided about a token.</summary>
public abstract record ReviewOutcome
{
    /// <summary>The answer an agent gets: the identity, or the refusal as an RpcException with its status.</summary>
    public abstract AgentIdentity IdentityOrThrow();
}

/// <summary>The API server vouched for the token, and it names the node its pod runs on.</summary>
public sealed record ReviewAccepted(AgentIdentity Identity) : ReviewOutcome
{
    public override AgentIdentity IdentityOrThrow() => Identity;
}

/// <summary>The token is not one we accept: <paramref name="Code"/> is Unauthenticated (not valid) or PermissionDenied (valid, but not an agent's).</summary>
public sealed record ReviewRefused(StatusCode Code, string Why) : ReviewOutcome
{
    public override AgentIdentity IdentityOrThrow() => throw new RpcException(new Status(Code, Why));
}

/// <summary>No decision: the API server did not answer or would not let us ask. The agent retries; nothing is cached.</summary>
public sealed record ReviewUnavailable(string Why) : ReviewOutcome
{
    public override AgentIdentity IdentityOrThrow() =>
        throw new RpcException(new Status(StatusCode.Unavailable, $"the coordinator cannot check tokens right now ({Why}); retry later"));
}

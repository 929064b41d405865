using Grpc.Core;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace NodeHealth.Coordinator.Security.Agents;

/// <summary>
/// Asks the API server who a token belongs to (authentication.k8s.io/v1 TokenReview, audience node-health)
/// and judges the answer: the token must be valid for our audience and bound to a pod on a node
/// (<c>authentication.kubernetes.io/node-name</c> in the user's extra, Kubernetes ≥ 1.30), and, when
/// <c>Coordinator:AgentServiceAccounts</c> names any, belong to one of those service accounts.
/// </summary>
public sealed class TokenReviewer(IKubernetes client, TimeSpan timeout, IReadOnlyCollection<string> serviceAccounts)
{
    public const string Audience = "node-health";
    public const string NodeNameExtra = "authentication.kubernetes.io/node-name";
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    public async Task<ReviewOutcome> ReviewAsync(string token, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        V1TokenReview answer;
        try
        {
            answer = await client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview
            {
                ApiVersion = "authentication.k8s.io/v1",
                Kind = "TokenReview",
                Spec = new V1TokenReviewSpec { Token = token, Audiences = [Audience] },
            }, cancellationToken: deadline.Token);
        }
        catch (HttpOperationException e) when ((int)e.Response.StatusCode is 401 or 403)
        {
            return new ReviewUnavailable($"the API server refused this coordinator's TokenReview (HTTP {(int)e.Response.StatusCode}): " +
                                         "grant its service account 'create' on tokenreviews.authentication.k8s.io (ClusterRole system:auth-delegator does)");
        }
        catch (HttpOperationException e)
        {
            return new ReviewUnavailable($"the TokenReview failed with HTTP {(int)e.Response.StatusCode} {e.Response.ReasonPhrase}");
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return new ReviewUnavailable($"the API server did not answer the TokenReview within {timeout.TotalSeconds:0.#}s");
        }
        catch (HttpRequestException e)
        {
            return new ReviewUnavailable($"the API server is unreachable: {e.Message}");
        }

        return Judge(answer.Status, token, serviceAccounts);
    }

    /// <summary>The decision on a TokenReview's status; pure, so every rule is tested with literal answers.</summary>
    public static ReviewOutcome Judge(V1TokenReviewStatus? status, string token, IReadOnlyCollection<string> serviceAccounts)
    {
        if (status is not { Authenticated: true })
            return new ReviewRefused(StatusCode.Unauthenticated,
                $"the token is not valid ({(status?.Error is { Length: > 0 } error ? error : "not authenticated")}): the agent must send its current projected ServiceAccount token (audience {Audience})");
        // An empty audience list means the token is for the API server itself, not for us (the TokenReview API's documented contract).
        if (status.Audiences?.Contains(Audience) != true)
            return new ReviewRefused(StatusCode.Unauthenticated,
                $"the token is not for audience '{Audience}' (it is for {(status.Audiences is { Count: > 0 } a ? string.Join(", ", a) : "the API server")}): mount a projected ServiceAccount token with audience {Audience}");
        var user = status.User?.Username is { Length: > 0 } name ? name : "an unnamed user";
        if (serviceAccounts.Count > 0 && !serviceAccounts.Contains(ServiceAccountOf(user) ?? "", StringComparer.Ordinal))
            return new ReviewRefused(StatusCode.PermissionDenied,
                $"{user} is not one of the agents' service accounts ({string.Join(", ", serviceAccounts)}, Coordinator:AgentServiceAccounts)");
        if (status.User?.Extra is not { } extra || !extra.TryGetValue(NodeNameExtra, out var nodes) || nodes is not [{ Length: > 0 } node])
            return new ReviewRefused(StatusCode.PermissionDenied,
                $"the token of {user} names no node ({NodeNameExtra} is missing from its TokenReview): agents need a projected token of their own pod, on Kubernetes 1.30 or later");
        return new ReviewAccepted(new AgentIdentity(user, node, BearerToken.ExpiresAt(token)));
    }

    /// <summary>"namespace:name" of a service account user name (system:serviceaccount:namespace:name), else null.</summary>
    public static string? ServiceAccountOf(string user) =>
        user.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) && user[ServiceAccountPrefix.Length..] is { } rest && rest.Count(c => c == ':') == 1
            ? rest
            : null;
}

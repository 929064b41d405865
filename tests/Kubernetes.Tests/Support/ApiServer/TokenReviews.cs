using System.Text.Json.Nodes;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>A projected ServiceAccount token the server knows: who it is, for which audience, bound to which pod's node, until when.</summary>
public sealed record IssuedToken(string ServiceAccount, string Namespace, string Audience, string? NodeName, DateTimeOffset? ExpiresAt = null);

/// <summary>
/// authentication.k8s.io/v1 TokenReview as the API server answers it: unknown tokens and tokens for
/// another audience are not authenticated; a pod-bound token carries the node name in user.extra
/// (<c>authentication.kubernetes.io/node-name</c>, Kubernetes ≥ 1.30).
/// </summary>
public sealed class TokenReviews
{
    public const string NodeNameExtra = "authentication.kubernetes.io/node-name";
    private readonly Dictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>TokenReviews answered so far.</summary>
    public int Reviews => _reviews;

    private int _reviews;

    public void Issue(string token, IssuedToken identity)
    {
        lock (_gate)
            _tokens[token] = identity;
    }

    /// <summary>
    /// Issues a JWT shaped like the kubelet's projected token for the agent's pod on <paramref name="node"/> (its
    /// payload carries exp, aud and the pod's node as the API server writes them; the signature is random) and returns it.
    /// </summary>
    public string IssueProjected(string node, DateTimeOffset expiresAt, string audience = "node-health", string serviceAccount = "node-health-agent", string ns = "node-health")
    {
        var issuedAt = expiresAt.AddHours(-1).ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["aud"] = new JsonArray(audience),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            ["iat"] = issuedAt,
            ["iss"] = "https://kubernetes.default.svc.cluster.local",
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = ns,
                ["node"] = new JsonObject { ["name"] = node, ["uid"] = Guid.NewGuid().ToString() },
                ["pod"] = new JsonObject { ["name"] = $"node-health-agent-{Guid.NewGuid().ToString("N")[..5]}", ["uid"] = Guid.NewGuid().ToString() },
                ["serviceaccount"] = new JsonObject { ["name"] = serviceAccount, ["uid"] = Guid.NewGuid().ToString() },
            },
            ["nbf"] = issuedAt,
            ["sub"] = $"system:serviceaccount:{ns}:{serviceAccount}",
        };
        var token = string.Join('.', Base64Url("{\"alg\":\"RS256\",\"kid\":\"test\"}"u8.ToArray()),
            Base64Url(System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString())), Base64Url(System.Security.Cryptography.RandomNumberGenerator.GetBytes(256)));
        Issue(token, new IssuedToken(serviceAccount, ns, audience, node, expiresAt));
        return token;
    }

    public void Revoke(string token)
    {
        lock (_gate)
            _tokens.Remove(token);
    }

    public JsonObject Review(JsonObject review)
    {
        var token = review["spec"]?["token"]?.GetValue<string>() ?? "";
        var audiences = review["spec"]?["audiences"]?.AsArray().Select(a => a!.GetValue<string>()).ToList() ?? [];
        IssuedToken? identity;
        lock (_gate)
            _tokens.TryGetValue(token, out identity);

        JsonObject status;
        if (identity is null)
            status = new JsonObject { ["authenticated"] = false, ["error"] = "invalid bearer token" };
        else if (identity.ExpiresAt is { } expires && expires <= DateTimeOffset.UtcNow)
            status = new JsonObject { ["authenticated"] = false, ["error"] = "[invalid bearer token, service account token has expired]" };
        else if (audiences.Count > 0 && !audiences.Contains(identity.Audience))
            status = new JsonObject { ["authenticated"] = false, ["error"] = "token audiences [\"" + identity.Audience + "\"] is invalid for the target audiences " + string.Join(",", audiences) };
        else
        {
            var extra = new JsonObject();
            if (identity.NodeName is { } node)
                extra[NodeNameExtra] = new JsonArray(node);
            status = new JsonObject
            {
                ["authenticated"] = true,
                ["user"] = new JsonObject
                {
                    ["username"] = $"system:serviceaccount:{identity.Namespace}:{identity.ServiceAccount}",
                    ["uid"] = Guid.NewGuid().ToString(),
                    ["groups"] = new JsonArray("system:serviceaccounts", $"system:serviceaccounts:{identity.Namespace}", "system:authenticated"),
                    ["extra"] = extra,
                },
                ["audiences"] = new JsonArray(identity.Audience),
            };
        }

        Interlocked.Increment(ref _reviews);
        var answer = (JsonObject)review.DeepClone();
        answer["status"] = status;
        return answer;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}


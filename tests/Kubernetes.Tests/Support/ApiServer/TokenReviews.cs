using System.Text.Json.Nodes;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>A projected ServiceAccount token the server knows: who it is, for which audience, bound to which pod's node.</summary>
public sealed record IssuedToken(string ServiceAccount, string Namespace, string Audience, string? NodeName);

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

    public void Issue(string token, IssuedToken identity)
    {
        lock (_gate)
            _tokens[token] = identity;
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

        var answer = (JsonObject)review.DeepClone();
        answer["status"] = status;
        return answer;
    }
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>
/// What a drain talks to: pods listed by node, deleted with a grace period, and the policy/v1 Eviction subresource
/// with the API server's PodDisruptionBudget semantics (429 when a budget allows no disruption, 500 under two budgets).
/// </summary>
public sealed partial class TestApiServer
{
    public PodStore Pods { get; } = new();

    public DisruptionBudgets Budgets { get; } = new();

    /// <summary>The requests that would change the cluster (everything but reads and TokenReviews).</summary>
    public IReadOnlyList<RecordedRequest> Mutations =>
        [.. Requests.Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE" && !r.Path.EndsWith("/tokenreviews", StringComparison.Ordinal))];

    public static string EvictionPath(string ns, string pod) => $"/api/v1/namespaces/{ns}/pods/{pod}/eviction";

    public static string PodPath(string ns, string pod) => $"/api/v1/namespaces/{ns}/pods/{pod}";

    private async Task<int> ListPods(HttpContext context)
    {
        var selector = context.Request.Query["fieldSelector"].ToString();
        string? node = null;
        if (selector.Length > 0)
        {
            var parts = selector.Split("=", 2);
            if (parts is not ["spec.nodeName", _])
                return await Failure(context, 400, "BadRequest", $"test server: field label not supported: {selector} (only spec.nodeName=NAME)");
            node = parts[1].TrimStart('=');
        }

        var items = node is null ? Pods.List() : Pods.OnNode(node);
        return await Json(context, 200, new JsonObject
        {
            ["kind"] = "PodList",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = Pods.ResourceVersion.ToString() },
            ["items"] = new JsonArray([.. items]),
        });
    }

    /// <summary>DELETE with DeleteOptions in the body (gracePeriodSeconds, preconditions.uid) or gracePeriodSeconds in the query.</summary>
    private async Task<int> DeletePod(HttpContext context, string ns, string name, string body)
    {
        var options = body.Length > 0 ? Parse(body) : new JsonObject();
        var grace = PodStore.Integer(options["gracePeriodSeconds"])
                      ?? (long.TryParse(context.Request.Query["gracePeriodSeconds"], out var seconds) ? seconds : null);
        var deletion = Pods.Delete(ns, name, grace, options["preconditions"]?["uid"]?.GetValue<string>());
        return deletion.Result switch
        {
            PodDeletionResult.Deleted => await Json(context, 200, deletion.Pod!),
            PodDeletionResult.Conflict => await Failure(context, 409, "Conflict", deletion.Message),
            _ => await Failure(context, 404, "NotFound", deletion.Message),
        };
    }

    private async Task<int> EvictPod(HttpContext context, string ns, string name, string body)
    {
        var eviction = Parse(body);
        if (eviction["metadata"]?["name"]?.GetValue<string>() is { } named && named != name)
            return await Failure(context, 400, "BadRequest", "name in URL does not match name in Eviction object");
        if (Pods.Get(ns, name) is not { } pod)
            return await Failure(context, 404, "NotFound", $"pods \"{name}\" not found");

        // Terminating, pending and finished pods disrupt nothing more: the API server deletes them without asking a budget.
        var ignoresBudgets = pod["metadata"]?["deletionTimestamp"] is not null || PodStore.Phase(pod) is "Succeeded" or "Failed" or "Pending";
        if (!ignoresBudgets && Budgets.Decide(pod, Pods.InNamespace(ns)) is { Allowed: false } verdict)
            return verdict.SeveralBudgets
                ? await Failure(context, 500, "InternalError",
                    "Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
                : await TooManyRequests(context, verdict);

        var deletion = Pods.Delete(ns, name, PodStore.Integer(eviction["deleteOptions"]?["gracePeriodSeconds"]), eviction["deleteOptions"]?["preconditions"]?["uid"]?.GetValue<string>());
        if (deletion.Result != PodDeletionResult.Deleted)
            return await Failure(context, deletion.Result == PodDeletionResult.Conflict ? 409 : 404, deletion.Result.ToString(), deletion.Message);
        var success = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 };
        return await Json(context, 201, success);
    }

    /// <summary>The API server's refusal, word for word: the budget is named only in the cause.</summary>
    private static Task<int> TooManyRequests(HttpContext context, EvictionVerdict verdict)
    {
        var status = Status(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.");
        status["details"] = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject
            {
                ["reason"] = "DisruptionBudget",
                ["message"] = $"The disruption budget {verdict.Budget} needs {verdict.DesiredHealthy} healthy pods and has {verdict.CurrentHealthy} currently",
            }),
        };
        return Json(context, 429, status);
    }
}

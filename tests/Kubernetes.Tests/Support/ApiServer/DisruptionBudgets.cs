using System.Text.Json.Nodes;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>What the eviction subresource decides for one pod, with the numbers its 429 quotes.</summary>
public sealed record EvictionVerdict(bool Allowed, string Budget = "", int DesiredHealthy = 0, int CurrentHealthy = 0, bool SeveralBudgets = false);

/// <summary>
/// PodDisruptionBudgets (policy/v1) as the eviction subresource and the disruption controller use them. The controller's
/// status is computed live from the pods at each eviction. <c>expectedPods</c> stands for the replicas of the pods'
/// controllers (a Deployment of 3 still expects 3 while one of them is gone); null: the matching pods.
/// </summary>
public sealed class DisruptionBudgets
{
    private readonly List<(JsonObject Budget, int? ExpectedPods)> _budgets = [];
    private readonly Lock _gate = new();

    public JsonObject Put(JsonObject budget, int? expectedPods = null)
    {
        var spec = budget["spec"];
        if ((spec?["minAvailable"] is not null) == (spec?["maxUnavailable"] is not null))
            throw new ArgumentException("a PodDisruptionBudget sets exactly one of minAvailable and maxUnavailable");
        lock (_gate)
            _budgets.Add(((JsonObject)budget.DeepClone(), expectedPods));
        return budget;
    }

    /// <summary>The eviction subresource's decision for <paramref name="pod"/>, given the pods in its namespace.</summary>
    public EvictionVerdict Decide(JsonObject pod, IReadOnlyList<JsonObject> podsInNamespace)
    {
        var ns = PodStore.Namespace(pod);
        List<(JsonObject Budget, int? ExpectedPods)> matching;
        lock (_gate)
            matching = [.. _budgets.Where(b => Namespace(b.Budget) == ns && Selects(b.Budget["spec"]?["selector"] as JsonObject, pod))];
        if (matching.Count == 0)
            return new EvictionVerdict(true);
        if (matching.Count > 1)
            return new EvictionVerdict(false, SeveralBudgets: true);

        var (budget, expectedPods) = matching[0];
        var selector = budget["spec"]!["selector"] as JsonObject;
        var selected = podsInNamespace.Where(p => Selects(selector, p)).ToList();
        var healthy = selected.Count(PodStore.IsHealthy);
        var (desired, expected) = DisruptionArithmetic.Desired(budget["spec"]!["minAvailable"], budget["spec"]!["maxUnavailable"], expectedPods ?? selected.Count, selected.Count);
        var name = budget["metadata"]!["name"]!.GetValue<string>();
        // An unhealthy pod may go while the budget is met (IfHealthyBudget, the default) or always (AlwaysAllow).
        var allowed = PodStore.IsHealthy(pod)
            ? DisruptionArithmetic.Allowed(healthy, desired, expected) > 0
            : budget["spec"]?["unhealthyPodEvictionPolicy"]?.GetValue<string>() == "AlwaysAllow" || (healthy >= desired && desired > 0) ||
              DisruptionArithmetic.Allowed(healthy, desired, expected) > 0;
        return new EvictionVerdict(allowed, name, desired, healthy);
    }

    /// <param name="minAvailable">An integer or a percentage ("50%").</param>
    public static JsonObject Budget(string name, IReadOnlyDictionary<string, string> matchLabels, string ns = "default",
        JsonNode? minAvailable = null, JsonNode? maxUnavailable = null)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in matchLabels)
            labels[key] = value;
        var spec = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = labels } };
        if (minAvailable is not null)
            spec["minAvailable"] = minAvailable.DeepClone();
        if (maxUnavailable is not null)
            spec["maxUnavailable"] = maxUnavailable.DeepClone();
        return new JsonObject
        {
            ["kind"] = "PodDisruptionBudget",
            ["apiVersion"] = "policy/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }

    /// <summary>A label selector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist); empty selects all, none selects nothing.</summary>
    public static bool Selects(JsonObject? selector, JsonObject pod)
    {
        if (selector is null)
            return false;
        var labels = pod["metadata"]?["labels"] as JsonObject;
        string? Label(string key) => labels?[key]?.GetValue<string>();
        if (selector["matchLabels"] is JsonObject matchLabels && matchLabels.Any(m => Label(m.Key) != m.Value?.GetValue<string>()))
            return false;
        return (selector["matchExpressions"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().All(e =>
        {
            var value = Label(e["key"]!.GetValue<string>());
            var values = (e["values"] as JsonArray ?? new JsonArray()).Select(v => v!.GetValue<string>()).ToList();
            return e["operator"]!.GetValue<string>() switch
            {
                "In" => value is not null && values.Contains(value),
                "NotIn" => value is null || !values.Contains(value),
                "Exists" => value is not null,
                "DoesNotExist" => value is null,
                var other => throw new PatchRejected($"unknown label selector operator '{other}'"),
            };
        });
    }

    private static string Namespace(JsonObject budget) => budget["metadata"]?["namespace"]?.GetValue<string>() ?? "default";
}

/// <summary>The disruption controller's arithmetic (pkg/controller/disruption): percentages round up.</summary>
public static class DisruptionArithmetic
{
    /// <param name="scale">The replicas of the pods' controllers: what percentages and maxUnavailable count from.</param>
    /// <param name="selectedPods">The pods the selector matches: what an integer minAvailable counts from.</param>
    public static (int DesiredHealthy, int ExpectedCount) Desired(JsonNode? minAvailable, JsonNode? maxUnavailable, int scale, int selectedPods)
    {
        if (maxUnavailable is not null)
            return (Math.Max(0, scale - Scaled(maxUnavailable, scale)), scale);
        if (minAvailable is null)
            throw new ArgumentException("a PodDisruptionBudget sets minAvailable or maxUnavailable");
        return IsPercent(minAvailable) ? (Scaled(minAvailable, scale), scale) : (Scaled(minAvailable, selectedPods), selectedPods);
    }

    public static int Allowed(int currentHealthy, int desiredHealthy, int expectedCount) =>
        expectedCount <= 0 ? 0 : Math.Max(0, currentHealthy - desiredHealthy);

    private static bool IsPercent(JsonNode value) => value is JsonValue v && v.TryGetValue<string>(out _);

    private static int Scaled(JsonNode value, int total)
    {
        if (value is JsonValue number && number.TryGetValue<int>(out var count))
            return count;
        var text = value.GetValue<string>();
        if (!text.EndsWith('%') || !int.TryParse(text[..^1], out var percent) || percent < 0)
            throw new PatchRejected($"invalid value for IntOrString: '{text}' is neither an integer nor a percentage");
        return (int)Math.Ceiling(percent * total / 100.0);
    }
}

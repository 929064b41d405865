using System.Text.Json.Nodes;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>How a delete ended: <see cref="Pod"/> is the object as the API server answers it (terminating, or the last state).</summary>
public sealed record PodDeletion(PodDeletionResult Result, JsonObject? Pod, string Message = "");

public enum PodDeletionResult
{
    Deleted = 0,
    NotFound = 1,
    Conflict = 2,
}

/// <summary>
/// Pods with the API server's graceful deletion: a scheduled, running pod deleted with a grace period gets a
/// deletionTimestamp (now + grace) and stays until its node's kubelet confirms it stopped; grace 0, an unscheduled or a
/// finished pod goes at once. The kubelets are simulated: they confirm after <see cref="KubeletStopsIn"/> (capped by the
/// grace period), except on nodes whose kubelet stopped (<see cref="KubeletStops"/>), where pods stay terminating.
/// </summary>
public sealed class PodStore
{
    private readonly Dictionary<(string Namespace, string Name), JsonObject> _pods = [];
    private readonly Dictionary<(string Namespace, string Name), DateTimeOffset> _stopsAt = [];
    private readonly HashSet<string> _silentNodes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version = 1;

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public TimeSpan KubeletStopsIn { get; set; } = TimeSpan.Zero;

    public long ResourceVersion
    {
        get { lock (_gate) return _version; }
    }

    /// <summary>From now on the kubelet of <paramref name="node"/> confirms no termination (a broken node).</summary>
    public void KubeletStops(string node)
    {
        lock (_gate)
            _silentNodes.Add(node);
    }

    /// <summary>Creates or replaces a pod, as a controller and the scheduler would.</summary>
    public JsonObject Put(JsonObject pod)
    {
        lock (_gate)
        {
            var key = Key(pod);
            pod["metadata"]!["uid"] ??= Guid.NewGuid().ToString();
            pod["metadata"]!["creationTimestamp"] ??= Timestamp(Clock.GetUtcNow());
            _stopsAt.Remove(key);
            return Commit(key, pod);
        }
    }

    public JsonObject? Get(string ns, string name)
    {
        lock (_gate)
        {
            Settle();
            return _pods.TryGetValue((ns, name), out var pod) ? (JsonObject)pod.DeepClone() : null;
        }
    }

    public IReadOnlyList<JsonObject> List(Func<JsonObject, bool>? where = null)
    {
        lock (_gate)
        {
            Settle();
            return [.. _pods.Values.Where(p => where is null || where(p)).OrderBy(p => $"{Namespace(p)}/{Name(p)}", StringComparer.Ordinal)
                .Select(p => (JsonObject)p.DeepClone())];
        }
    }

    public IReadOnlyList<JsonObject> OnNode(string node) => List(p => NodeOf(p) == node);

    public IReadOnlyList<JsonObject> InNamespace(string ns) => List(p => Namespace(p) == ns);

    /// <param name="graceSeconds">Null: the pod's terminationGracePeriodSeconds (30 when unset).</param>
    /// <param name="uid">A precondition: the delete applies only to the pod with this UID (409 otherwise).</param>
    public PodDeletion Delete(string ns, string name, long? graceSeconds, string? uid)
    {
        lock (_gate)
        {
            Settle();
            if (!_pods.TryGetValue((ns, name), out var pod))
                return new PodDeletion(PodDeletionResult.NotFound, null, $"pods \"{name}\" not found");
            var actual = pod["metadata"]!["uid"]!.GetValue<string>();
            if (uid is { Length: > 0 } && uid != actual)
                return new PodDeletion(PodDeletionResult.Conflict, null, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {actual}");

            var grace = graceSeconds ?? Integer(pod["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
            var now = Clock.GetUtcNow();
            if (grace <= 0 || NodeOf(pod) is null || Phase(pod) is "Succeeded" or "Failed")
            {
                Remove((ns, name));
                return new PodDeletion(PodDeletionResult.Deleted, (JsonObject)pod.DeepClone());
            }

            // A second delete may shorten the grace period, never lengthen it.
            var by = now + TimeSpan.FromSeconds(grace);
            if (pod["metadata"]!["deletionTimestamp"] is { } existing && DateTimeOffset.Parse(existing.GetValue<string>()) <= by)
                return new PodDeletion(PodDeletionResult.Deleted, (JsonObject)pod.DeepClone());
            pod["metadata"]!["deletionTimestamp"] = Timestamp(by);
            pod["metadata"]!["deletionGracePeriodSeconds"] = grace;
            if (!_silentNodes.Contains(NodeOf(pod)!))
                _stopsAt[(ns, name)] = now + Min(KubeletStopsIn, TimeSpan.FromSeconds(grace));
            return new PodDeletion(PodDeletionResult.Deleted, Commit((ns, name), pod));
        }
    }

    public static bool IsHealthy(JsonObject pod) =>
        Phase(pod) == "Running" && pod["metadata"]?["deletionTimestamp"] is null &&
        pod["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True") == true;

    public static string? NodeOf(JsonObject pod) => pod["spec"]?["nodeName"]?.GetValue<string>();

    public static string? Phase(JsonObject pod) => pod["status"]?["phase"]?.GetValue<string>();

    public static string Name(JsonObject pod) => pod["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException("a pod needs metadata.name");

    public static string Namespace(JsonObject pod) => pod["metadata"]?["namespace"]?.GetValue<string>() ?? "default";

    /// <summary>An integer field, whether it came over the wire or from a test's object (a JsonValue of int refuses GetValue&lt;long&gt;).</summary>
    public static long? Integer(JsonNode? value) => value is null ? null : long.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The API server's timestamps: RFC 3339 to the second.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    /// <summary>Kubelets confirm the terminations that are due.</summary>
    private void Settle()
    {
        var now = Clock.GetUtcNow();
        foreach (var key in _stopsAt.Where(s => s.Value <= now).Select(s => s.Key).ToList())
            Remove(key);
    }

    private void Remove((string, string) key)
    {
        _pods.Remove(key);
        _stopsAt.Remove(key);
        _version++;
    }

    private JsonObject Commit((string, string) key, JsonObject pod)
    {
        _version++;
        pod["metadata"]!["resourceVersion"] = _version.ToString();
        pod["metadata"]!["namespace"] = key.Item1;
        _pods[key] = pod;
        return (JsonObject)pod.DeepClone();
    }

    private static (string, string) Key(JsonObject pod) => (Namespace(pod), Name(pod));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

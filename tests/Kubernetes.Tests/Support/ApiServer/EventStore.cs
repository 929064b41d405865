using System.Text;
using System.Text.Json.Nodes;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>
/// events.k8s.io/v1 Events with the API server's validation of what a recorder must send
/// (eventTime, reportingController, reportingInstance, action, reason, type, note ≤ 1 kB, series
/// count ≥ 2 with lastObservedTime), so a malformed event fails here as it would in a cluster.
/// </summary>
public sealed class EventStore
{
    public const int MaxNoteBytes = 1024;
    private readonly Dictionary<string, JsonObject> _events = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version;

    public IReadOnlyList<JsonObject> All()
    {
        lock (_gate)
            return [.. _events.Values.Select(e => (JsonObject)e.DeepClone())];
    }

    public JsonObject Create(string ns, JsonObject @event)
    {
        Validate(@event);
        lock (_gate)
        {
            var metadata = @event["metadata"] as JsonObject ?? throw new PatchRejected("metadata is required");
            var name = metadata["name"]?.GetValue<string>() ?? metadata["generateName"]?.GetValue<string>() + Guid.NewGuid().ToString("N")[..5];
            if (string.IsNullOrEmpty(name))
                throw new PatchRejected("metadata.name or metadata.generateName is required");
            if (_events.ContainsKey(name))
                throw new AlreadyExists($"events.events.k8s.io \"{name}\" already exists");
            metadata["name"] = name;
            metadata["namespace"] = ns;
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["resourceVersion"] = (++_version).ToString();
            _events[name] = @event;
            return (JsonObject)@event.DeepClone();
        }
    }

    /// <summary>Null when there is no such event (404).</summary>
    public JsonObject? Patch(string name, JsonObject patch, bool strategic)
    {
        lock (_gate)
        {
            if (!_events.TryGetValue(name, out var existing))
                return null;
            var patched = strategic ? StrategicMerge.Apply(existing, patch) : StrategicMerge.ApplyMergePatch(existing, patch);
            Validate(patched);
            patched["metadata"]!["resourceVersion"] = (++_version).ToString();
            _events[name] = patched;
            return (JsonObject)patched.DeepClone();
        }
    }

    private static void Validate(JsonObject e)
    {
        var problems = new List<string>();
        foreach (var field in new[] { "eventTime", "reportingController", "reportingInstance", "action", "reason", "type" })
            if (e[field] is null || e[field]!.ToString().Length == 0)
                problems.Add($"{field}: Required value");
        if (e["type"]?.ToString() is { } type && type is not ("Normal" or "Warning"))
            problems.Add($"type: Unsupported value: \"{type}\"");
        if (e["note"]?.ToString() is { } note && Encoding.UTF8.GetByteCount(note) > MaxNoteBytes)
            problems.Add($"note: Too long: may not be more than {MaxNoteBytes} bytes");
        if (e["series"] is JsonObject series)
        {
            if (series["count"]?.GetValue<int>() is not >= 2)
                problems.Add("series.count: Invalid value: should be at least 2");
            if (series["lastObservedTime"] is null)
                problems.Add("series.lastObservedTime: Required value");
        }

        if (problems.Count > 0)
            throw new PatchRejected("Event.events.k8s.io is invalid: " + string.Join(", ", problems));
    }
}

/// <summary>409 on create: the name is taken.</summary>
public sealed class AlreadyExists(string message) : Exception(message);

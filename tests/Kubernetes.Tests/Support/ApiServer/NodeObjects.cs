using System.Text.Json.Nodes;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>Node objects as a kubelet registers them: its own conditions, labels, boot id.</summary>
public static class NodeObjects
{
    public const string KubeletHeartbeat = "2026-11-27T08:00:00Z";

    public static JsonObject Kubelet(string name, string bootId = "boot-1", IReadOnlyDictionary<string, string>? labels = null, params JsonObject[] extraConditions)
    {
        var labelObject = new JsonObject { ["kubernetes.io/hostname"] = name };
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
            labelObject[key] = value;
        var conditions = new JsonArray(
            KubeletCondition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            KubeletCondition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            KubeletCondition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            KubeletCondition("Ready", "True", "KubeletReady", "kubelet is posting ready status"));
        foreach (var extra in extraConditions)
            conditions.Add(extra);
        return new JsonObject
        {
            ["kind"] = "Node",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labelObject },
            ["spec"] = new JsonObject(),
            ["status"] = new JsonObject
            {
                ["conditions"] = conditions,
                ["nodeInfo"] = new JsonObject { ["bootID"] = bootId, ["kubeletVersion"] = "v1.32.0" },
            },
        };
    }

    public static JsonObject KubeletCondition(string type, string status, string reason, string message) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastHeartbeatTime"] = KubeletHeartbeat,
        ["lastTransitionTime"] = "2026-11-27T07:00:00Z",
        ["reason"] = reason,
        ["message"] = message,
    };

    public static JsonObject? Condition(JsonObject? node, string type) =>
        node?["status"]?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
}

using System.Text.Json.Nodes;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>Pods as controllers, the scheduler and the kubelet leave them: owner, node, phase, readiness.</summary>
public static class PodObjects
{
    /// <param name="owner">The controller's kind (ReplicaSet, StatefulSet, DaemonSet, Job, Node for a mirror pod); empty: a bare pod.</param>
    public static JsonObject Running(string name, string node, string ns = "default", IReadOnlyDictionary<string, string>? labels = null,
        string owner = "ReplicaSet", bool ready = true, int graceSeconds = 30)
    {
        var labelObject = new JsonObject();
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
            labelObject[key] = value;
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labelObject };
        if (owner.Length > 0)
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = owner is "Node" ? "v1" : owner is "Job" ? "batch/v1" : "apps/v1",
                ["kind"] = owner,
                ["name"] = owner is "Node" ? node : OwnerName(name),
                ["uid"] = Guid.NewGuid().ToString(),
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            });
        return new JsonObject
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node,
                ["terminationGracePeriodSeconds"] = graceSeconds,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.k8s.io/pause:3.10" }),
            },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" },
                    new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
            },
        };
    }

    public static JsonObject DaemonSetPod(string name, string node, string ns = "kube-system") => Running(name, node, ns, owner: "DaemonSet");

    /// <summary>The API object of a static pod: the kubelet's mirror annotation, owned by the Node.</summary>
    public static JsonObject Mirror(string name, string node, string ns = "kube-system")
    {
        var pod = Running(name, node, ns, owner: "Node");
        pod["metadata"]!["annotations"] = new JsonObject { ["kubernetes.io/config.mirror"] = "3c5b1bd4e1f2a6c8d0e9b7a5f4c3d2e1" };
        return pod;
    }

    public static JsonObject Finished(string name, string node, string ns = "default", string phase = "Succeeded")
    {
        var pod = Running(name, node, ns, owner: "Job", ready: false);
        pod["status"]!["phase"] = phase;
        return pod;
    }

    /// <summary>web-7d4b9c-x2x4z → web-7d4b9c, as a ReplicaSet names its pods.</summary>
    private static string OwnerName(string pod) => pod.LastIndexOf('-') is > 0 and var dash ? pod[..dash] : pod;
}

using System.Text.Json.Nodes;
using k8s.Models;

namespace NodeHealth.Coordinator.Repair.Drain;

/// <summary>Who holds a node's cordon: nobody, a repair of node-health (our annotation), or someone else (an operator, another tool).</summary>
public enum CordonHolder
{
    None = 0,
    Repair = 1,
    Other = 2,
}

/// <summary>
/// The cordon as node-health owns it: spec.unschedulable and our annotation are set in one write, and only a cordon
/// carrying the annotation is lifted again, so a node an operator cordoned stays cordoned after a repair.
/// </summary>
public static class Cordons
{
    /// <summary>On a Node: node-health cordoned it for a repair (the value is when); uncordon lifts only such a cordon.</summary>
    public const string Annotation = "node-health.io/cordoned-by-repair";

    public static CordonHolder HolderOf(V1Node node) => node.Spec?.Unschedulable == true
        ? node.Metadata?.Annotations?.ContainsKey(Annotation) == true ? CordonHolder.Repair : CordonHolder.Other
        : CordonHolder.None;

    /// <summary>Unschedulable plus our mark, conditional on <paramref name="resourceVersion"/> (409 if the node changed since it was read).</summary>
    public static string CordonPatch(string resourceVersion, DateTimeOffset at) => Patch(resourceVersion,
        JsonValue.Create(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")), JsonValue.Create(true));

    /// <summary>Schedulable again and our mark removed (null deletes a key in a merge patch), conditional like the cordon.</summary>
    public static string UncordonPatch(string resourceVersion) => Patch(resourceVersion, null, null);

    private static string Patch(string resourceVersion, JsonNode? mark, JsonNode? unschedulable) => new JsonObject
    {
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = resourceVersion,
            ["annotations"] = new JsonObject { [Annotation] = mark },
        },
        ["spec"] = new JsonObject { ["unschedulable"] = unschedulable },
    }.ToJsonString();
}

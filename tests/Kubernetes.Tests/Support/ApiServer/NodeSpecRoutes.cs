using Microsoft.AspNetCore.Http;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>
/// PATCH of a Node itself (cordon: spec.unschedulable, annotations), merge or strategic merge. A metadata.resourceVersion
/// in the patch is a precondition, as on the API server: 409 when the node has moved on. Status in such a patch is ignored.
/// </summary>
public sealed partial class TestApiServer
{
    private const string MergePatch = "application/merge-patch+json";

    private async Task<int> PatchNode(HttpContext context, string name, string body)
    {
        var contentType = context.Request.ContentType ?? "";
        var strategic = contentType.StartsWith(StrategicMergePatch, StringComparison.Ordinal);
        if (!strategic && !contentType.StartsWith(MergePatch, StringComparison.Ordinal))
            return await Failure(context, 415, "UnsupportedMediaType", $"test server: {contentType} on nodes is not served; send {MergePatch} or {StrategicMergePatch}");
        var patch = Parse(body);
        patch.Remove("status");
        var expected = patch["metadata"]?["resourceVersion"]?.GetValue<string>();
        try
        {
            return Nodes.Update(name, node =>
                {
                    if (expected is not null && expected != node["metadata"]?["resourceVersion"]?.GetValue<string>())
                        throw new VersionConflict($"Operation cannot be fulfilled on nodes \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
                    return strategic ? StrategicMerge.Apply(node, patch) : StrategicMerge.ApplyMergePatch(node, patch);
                }) is { } updated
                ? await Json(context, 200, updated)
                : await NodeNotFound(context, name);
        }
        catch (VersionConflict e)
        {
            return await Failure(context, 409, "Conflict", e.Message);
        }
    }

    private sealed class VersionConflict(string message) : Exception(message);
}

using System.Text.Json.Nodes;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>
/// How the API server deletes: a precondition (uid, resourceVersion) that does not hold is 409; an object with
/// finalizers only gets a deletionTimestamp (kept on later deletes) until its controller removes them; one without goes.
/// </summary>
public static class Deletion
{
    /// <summary>Why the DeleteOptions' preconditions refuse the delete; null when they hold or there are none.</summary>
    public static string? PreconditionFails(JsonObject current, JsonObject? options)
    {
        var preconditions = options?["preconditions"];
        var metadata = current["metadata"]!;
        if (preconditions?["uid"]?.GetValue<string>() is { } uid && uid != metadata["uid"]?.GetValue<string>())
            return $"Precondition failed: UID in precondition: {uid}, UID in object meta: {metadata["uid"]}";
        if (preconditions?["resourceVersion"]?.GetValue<string>() is { } version && version != metadata["resourceVersion"]?.GetValue<string>())
            return $"Precondition failed: ResourceVersion in precondition: {version}, ResourceVersion in object meta: {metadata["resourceVersion"]}";
        return null;
    }

    public static bool HasFinalizers(JsonObject current) => current["metadata"]?["finalizers"] is JsonArray { Count: > 0 };

    /// <summary>The object as it stays while its finalizers run.</summary>
    public static JsonObject MarkDeleting(JsonObject current, DateTime now)
    {
        var metadata = current["metadata"]!.AsObject();
        if (metadata["deletionTimestamp"] is null)
        {
            metadata["deletionTimestamp"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            metadata["deletionGracePeriodSeconds"] = 0;
        }

        return current;
    }

    /// <summary>The Status a delete that removed the object at once answers with (core kinds such as Node).</summary>
    public static JsonObject Success(string kind, JsonObject deleted) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject
        {
            ["name"] = deleted["metadata"]?["name"]?.DeepClone(),
            ["kind"] = kind,
            ["uid"] = deleted["metadata"]?["uid"]?.DeepClone(),
        },
    };
}

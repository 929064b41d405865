using System.Text.Json.Nodes;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>
/// The API server's two patch semantics for the objects we touch. Strategic merge merges lists that
/// carry a merge key (<c>status.conditions</c> and <c>status.addresses</c> by <c>type</c>) item by item
/// and replaces other lists; JSON merge patch (RFC 7386) replaces every list whole. A null deletes a key.
/// </summary>
public static class StrategicMerge
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["status.conditions"] = "type",
        ["status.addresses"] = "type",
    };

    public static JsonObject Apply(JsonObject target, JsonObject patch) => (JsonObject)Merge(target.DeepClone(), patch, "", strategic: true)!;

    public static JsonObject ApplyMergePatch(JsonObject target, JsonObject patch) => (JsonObject)Merge(target.DeepClone(), patch, "", strategic: false)!;

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch, string path, bool strategic)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (strategic && key.StartsWith('$'))
                throw new PatchRejected($"the test server does not implement the strategic merge directive '{key}' (at '{path}')");
            var childPath = path.Length == 0 ? key : path + "." + key;
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            result.TryGetPropertyValue(key, out var existing);
            result[key] = strategic && value is JsonArray list && MergeKeys.TryGetValue(childPath, out var mergeKey)
                ? MergeByKey(existing as JsonArray, list, mergeKey, childPath)
                : Merge(existing, value, childPath, strategic);
        }

        return result;
    }

    private static JsonArray MergeByKey(JsonArray? existing, JsonArray patch, string mergeKey, string path)
    {
        var merged = existing?.Select(item => item?.DeepClone()).ToList() ?? [];
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem || patchItem[mergeKey]?.GetValue<string>() is not { } key)
                throw new PatchRejected($"every item of '{path}' needs its merge key '{mergeKey}'");
            var index = merged.FindIndex(m => m?[mergeKey]?.GetValue<string>() == key);
            if (index < 0)
                merged.Add(patchItem.DeepClone());
            else
                merged[index] = Merge(merged[index], patchItem, path, strategic: true);
        }

        return new JsonArray([.. merged]);
    }
}

/// <summary>A patch the server refuses (422), with the API server's kind of explanation.</summary>
public sealed class PatchRejected(string message) : Exception(message);

using System.Text.Json.Nodes;

namespace NodeHealth.Contracts.Tests;

/// <summary>
/// Compares what was recorded with what is decoded today: every recorded property must come back
/// with its value; properties added since (new fields) may appear.
/// </summary>
public static class JsonSubset
{
    public static IEnumerable<string> Differences(JsonNode? recorded, JsonNode? actual, string path = "$")
    {
        switch (recorded)
        {
            case JsonObject expected:
                if (actual is not JsonObject present)
                    return [$"{path}: expected an object, found {actual?.ToJsonString() ?? "null"}"];
                return expected.SelectMany(p => present.ContainsKey(p.Key)
                    ? Differences(p.Value, present[p.Key], $"{path}.{p.Key}")
                    : [$"{path}.{p.Key}: recorded as {p.Value?.ToJsonString() ?? "null"}, no longer decoded"]);
            case JsonArray items:
                if (actual is not JsonArray decoded || decoded.Count != items.Count)
                    return [$"{path}: expected {items.Count} items, found {actual?.ToJsonString() ?? "null"}"];
                return items.SelectMany((item, i) => Differences(item, decoded[i], $"{path}[{i}]"));
            default:
                return JsonNode.DeepEquals(recorded, actual) ? [] : [$"{path}: expected {recorded?.ToJsonString() ?? "null"}, found {actual?.ToJsonString() ?? "null"}"];
        }
    }
}

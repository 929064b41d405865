using System.Text.Json.Nodes;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>Reading the REST node view the way an operator's script would.</summary>
public static class NodeViews
{
    public static IEnumerable<JsonObject> Findings(this JsonObject? node) => Items(node, "recentFindings");

    public static IEnumerable<JsonObject> Events(this JsonObject? node) => Items(node, "recentEvents");

    public static JsonObject? Condition(this JsonObject? node, string type) =>
        Items(node, "conditions").FirstOrDefault(c => (string?)c["type"] == type);

    public static string? Text(this JsonObject? item, string property) => (string?)item?[property];

    /// <summary>How many findings carry this exact message (each finding must arrive exactly once).</summary>
    public static int CountFindings(this JsonObject? node, string message) =>
        node.Findings().Count(f => f.Text("message") == message);

    private static IEnumerable<JsonObject> Items(JsonObject? node, string property) =>
        node?[property]?.AsArray().Select(i => i!.AsObject()) ?? [];
}

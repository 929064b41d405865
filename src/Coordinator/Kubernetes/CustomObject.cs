using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace NodeHealth.Coordinator.Kubernetes;

/// <summary>
/// A custom resource node-health reads without its controller's types (a Karpenter NodeClaim, a Cluster API Machine):
/// the metadata typed, the spec and status as they came, so a field a newer controller version adds never breaks reading.
/// </summary>
public sealed class CustomObject
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonElement Spec { get; set; }

    [JsonPropertyName("status")]
    public JsonElement Status { get; set; }

    /// <summary>The string at <paramref name="path"/> under status (<c>"nodeRef", "name"</c>); null when absent or not a string.</summary>
    public string? StatusString(params string[] path) => StringAt(Status, path);

    /// <summary>The string at <paramref name="path"/> under spec; null when absent or not a string.</summary>
    public string? SpecString(params string[] path) => StringAt(Spec, path);

    /// <summary>"namespace/name", or the name alone for a cluster-scoped object.</summary>
    public override string ToString() =>
        string.IsNullOrEmpty(Metadata.NamespaceProperty) ? Metadata.Name : $"{Metadata.NamespaceProperty}/{Metadata.Name}";

    private static string? StringAt(JsonElement element, string[] path)
    {
        foreach (var key in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element))
                return null;
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}

/// <summary>A list of <see cref="CustomObject"/>s as the API server answers a list request.</summary>
public sealed class CustomObjectList
{
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public List<CustomObject> Items { get; set; } = [];
}

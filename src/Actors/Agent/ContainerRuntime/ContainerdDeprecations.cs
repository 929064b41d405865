using System.Text.Json;
using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.Actors.Agent.ContainerRuntime;

/// <summary>One entry of `ctr deprecations list --format json`.</summary>
public sealed record ContainerdDeprecation(string Id, string Message, DateTime? LastOccurrence);

/// <summary>The pure half of DeprecatedContainerdConfiguration: deprecations containerd saw within the last hour (EKS's window).</summary>
public static class ContainerdDeprecations
{
    public static readonly TimeSpan Recent = TimeSpan.FromHours(1);

    /// <summary>The JSON array ctr prints ("null" or empty when there is none); throws <see cref="FormatException"/> naming the problem.</summary>
    public static IReadOnlyList<ContainerdDeprecation> Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return [];
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Null)
                return [];
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new FormatException($"ctr deprecations list printed a JSON {document.RootElement.ValueKind}, not an array");
            return [.. document.RootElement.EnumerateArray().Select(Entry)];
        }
        catch (JsonException e)
        {
            throw new FormatException($"ctr deprecations list printed no valid JSON: {e.Message}", e);
        }
    }

    public static IReadOnlyList<ProbeFailure> Failures(IReadOnlyList<ContainerdDeprecation> deprecations, DateTime now) =>
        [.. deprecations
            .Where(d => d.Id.Length > 0 && d.LastOccurrence is { } last && now - last <= Recent)
            .Select(d => new ProbeFailure("DeprecatedContainerdConfiguration", d.Id, $"{d.Id}: {d.Message}"))];

    private static ContainerdDeprecation Entry(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
            throw new FormatException($"ctr deprecations list printed a {entry.ValueKind} where a deprecation object belongs");
        DateTime? last = entry.TryGetProperty("lastOccurrence", out var at) && at.ValueKind == JsonValueKind.String && at.TryGetDateTimeOffset(out var stamp)
            ? stamp.UtcDateTime : null;
        return new ContainerdDeprecation(Text(entry, "id"), Text(entry, "message"), last);
    }

    private static string Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}

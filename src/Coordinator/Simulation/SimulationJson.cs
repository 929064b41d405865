using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodeHealth.Actors.Simulation;

namespace NodeHealth.Coordinator.Simulation;

/// <summary>The report as JSON: the same bytes for the same scenario and seed (no wall-clock time, sorted maps, fixed rounding).</summary>
public static class SimulationJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write(SimulationReport report) => JsonSerializer.Serialize(report, Options) + "\n";

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";
}

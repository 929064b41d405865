using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;
using NodeHealth.Contracts.Serialization;

namespace NodeHealth.Contracts.Tests;

/// <summary>
/// Bytes already in journals and snapshot stores must decode forever. Each persisted type has a golden
/// file written once from its sample (golden/&lt;manifest&gt;.bin, with the value it held in &lt;manifest&gt;.json),
/// never overwritten, and decoded through the production serializer on every run.
/// </summary>
public sealed class GoldenBytesTests(ProductionSerialization production) : IClassFixture<ProductionSerialization>
{
    public const string WriteVariable = "NODE_HEALTH_WRITE_GOLDEN";
    private static readonly string Directory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../golden"));
    private static readonly JsonSerializerOptions Structural = new() { Converters = { new JsonStringEnumConverter() }, WriteIndented = true };

    /// <summary>What the journal (every entity event, the repair governor's) and the snapshot store (the entity's state, the fleet view's, the governor's) hold.</summary>
    public static IEnumerable<Type> PersistedTypes =>
        typeof(INodeHealthEvent).Assembly.GetTypes()
            .Where(t => typeof(INodeHealthEvent).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
            .Concat(typeof(IRepairGovernorEvent).Assembly.GetTypes().Where(t => typeof(IRepairGovernorEvent).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false }))
            .Append(typeof(NodeHealthState))
            .Append(typeof(FleetSnapshot))
            .Append(typeof(RepairGovernorState))
            .OrderBy(t => t.Name);

    public static TheoryData<string> PersistedTypeNames => [.. PersistedTypes.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(PersistedTypeNames))]
    public void Golden_bytes_of_every_persisted_type_still_decode_to_the_recorded_value(string typeName)
    {
        var type = PersistedTypes.Single(t => t.Name == typeName);
        var manifest = ProtocolManifests.ManifestOf(type);
        var bytesPath = Path.Combine(Directory, manifest + ".bin");
        var valuePath = Path.Combine(Directory, manifest + ".json");
        if (!File.Exists(bytesPath) && Environment.GetEnvironmentVariable(WriteVariable) == "1")
            Write(ProtocolSamples.All[type], bytesPath, valuePath);
        Assert.True(File.Exists(bytesPath) && File.Exists(valuePath),
            $"{typeName} (manifest '{manifest}') has no golden file: add its sample to {nameof(ProtocolSamples)}, run " +
            $"{WriteVariable}=1 dotnet test tests/Contracts.Tests --filter {nameof(GoldenBytesTests)} (it writes only missing files) " +
            $"and commit tests/Contracts.Tests/golden/{manifest}.bin and {manifest}.json");

        var decoded = production.Serialization.Deserialize(File.ReadAllBytes(bytesPath), HealthSerializer.Id, manifest);

        Assert.IsType(type, decoded);
        var differences = JsonSubset.Differences(JsonNode.Parse(File.ReadAllText(valuePath)), JsonSerializer.SerializeToNode(decoded, type, Structural)).ToList();
        Assert.True(differences.Count == 0, $"golden/{manifest}.bin no longer decodes to golden/{manifest}.json:\n" + string.Join('\n', differences));
    }

    [Fact]
    public void Every_golden_file_belongs_to_a_persisted_type()
    {
        var manifests = PersistedTypes.Select(ProtocolManifests.ManifestOf).ToHashSet();
        var files = System.IO.Directory.Exists(Directory) ? System.IO.Directory.GetFiles(Directory, "*.bin").Concat(System.IO.Directory.GetFiles(Directory, "*.json")) : [];
        var orphans = files.Select(Path.GetFileNameWithoutExtension).Where(m => !manifests.Contains(m!)).Distinct();
        Assert.Empty(orphans); // A golden file never goes away: a type that was persisted stays decodable.
    }

    private void Write(object sample, string bytesPath, string valuePath)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var serializer = production.Serialization.FindSerializerFor(sample);
        File.WriteAllBytes(bytesPath, serializer.ToBinary(sample));
        File.WriteAllText(valuePath, JsonSerializer.Serialize(sample, sample.GetType(), Structural) + "\n");
    }
}

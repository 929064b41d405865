using System.Text.Json;
using System.Text.Json.Serialization;
using NodeHealth.Contracts.Serialization;

namespace NodeHealth.Contracts.Tests;

/// <summary>Every protocol type survives a round trip through the serializer as production wires it.</summary>
public sealed class HealthSerializerTests(ProductionSerialization production) : IClassFixture<ProductionSerialization>
{
    private static readonly JsonSerializerOptions Structural = new() { Converters = { new JsonStringEnumConverter() } };

    public static TheoryData<string> TypeNames => [.. ProtocolSamples.Types.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(TypeNames))]
    public void Every_protocol_type_round_trips_through_our_serializer(string typeName)
    {
        var original = ProtocolSamples.All.Single(p => p.Key.Name == typeName).Value;
        var serializer = production.Serialization.FindSerializerFor(original);
        Assert.IsType<HealthSerializer>(serializer);

        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, original);
        var copy = production.Serialization.Deserialize(serializer.ToBinary(original), serializer.Identifier, manifest);

        Assert.IsType(original.GetType(), copy);
        Assert.Equal(JsonSerializer.Serialize(original, original.GetType(), Structural), JsonSerializer.Serialize(copy, copy.GetType(), Structural));
    }

    [Fact]
    public void Every_protocol_type_has_a_manifest_and_a_sample()
    {
        var protocolTypes = typeof(IHealthProtocolMessage).Assembly.GetTypes()
            .Where(t => typeof(IHealthProtocolMessage).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false });

        foreach (var type in protocolTypes)
        {
            Assert.Contains(ProtocolManifests.All, e => e.Type == type);
            Assert.True(ProtocolSamples.All.ContainsKey(type), $"{type.Name} has no sample in {nameof(ProtocolSamples)}");
        }
    }

    [Fact]
    public void Manifests_are_unique_and_short()
    {
        var manifests = ProtocolManifests.All.Select(e => e.Manifest).ToList();
        Assert.Equal(manifests.Count, manifests.Distinct().Count());
        Assert.All(manifests, m => Assert.InRange(m.Length, 1, 4));
    }

    [Fact]
    public void Unknown_manifest_is_a_clear_serialization_error()
    {
        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => production.Serialization.Deserialize([], HealthSerializer.Id, "zz"));
        Assert.Contains("zz", error.Message);
    }
}

public sealed class EmptyCollectionTests
{
    [Fact]
    public void Empty_repeated_field_comes_back_usable_and_serializes_again()
    {
        var model = ProtoBuf.Meta.RuntimeTypeModel.Default;
        using var first = new MemoryStream();
        model.Serialize(first, new Wire.FindingBatch([]));
        first.Position = 0;
        var copy = (Wire.FindingBatch)model.Deserialize(first, null, typeof(Wire.FindingBatch));

        Assert.Empty(copy.Findings.OrEmpty());
        using var second = new MemoryStream();
        model.Serialize(second, copy); // A default ImmutableArray must not break a second hop (snapshot → pub-sub → API).
        Assert.Equal(first.ToArray(), second.ToArray());
    }
}

using Akka.Actor;
using Akka.Serialization;
using ProtoBuf.Meta;

namespace NodeHealth.Contracts.Serialization;

/// <summary>The one Akka serializer for our types: protobuf-net payloads, short stable manifests.</summary>
public sealed class HealthSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Stored with every journal row: never change it.</summary>
    public const int Id = 5150;

    private static readonly RuntimeTypeModel Model = RuntimeTypeModel.Default;

    public override int Identifier => Id;

    public override string Manifest(object o) => ProtocolManifests.ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        Model.Serialize(stream, obj);
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var stream = new MemoryStream(bytes);
        return Model.Deserialize(stream, null, ProtocolManifests.TypeOf(manifest));
    }
}

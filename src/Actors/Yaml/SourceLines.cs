using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace NodeHealth.Actors.Yaml;

/// <summary>A YAML mapping that knows where it starts in its file (1-based), so errors about it can name the line.</summary>
internal interface IHasSourceLine
{
    long Line { set; }
}

/// <summary>
/// Wraps YamlDotNet's object deserializer and records the start line of every <see cref="IHasSourceLine"/> it builds:
/// <c>.WithNodeDeserializer(inner => new SourceLines(inner), where => where.InsteadOf&lt;ObjectNodeDeserializer&gt;())</c>.
/// </summary>
internal sealed class SourceLines(INodeDeserializer inner) : INodeDeserializer
{
    public bool Deserialize(IParser reader, Type expectedType, Func<IParser, Type, object?> nestedObjectDeserializer,
        out object? value, ObjectDeserializer rootDeserializer)
    {
        var line = reader.Current?.Start.Line ?? 0;
        if (!inner.Deserialize(reader, expectedType, nestedObjectDeserializer, out value, rootDeserializer))
            return false;
        if (value is IHasSourceLine entry)
            entry.Line = line;
        return true;
    }
}

using System.Collections.Immutable;

namespace NodeHealth.Contracts;

public static class Collections
{
    /// <summary>protobuf-net leaves an empty repeated field as a default (unusable) ImmutableArray.</summary>
    public static ImmutableArray<T> OrEmpty<T>(this ImmutableArray<T> items) => items.IsDefault ? [] : items;
}

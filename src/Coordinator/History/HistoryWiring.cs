using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Microsoft.Extensions.Options;

namespace NodeHealth.Coordinator.History;

public static class HistoryWiring
{
    /// <summary>The read side of the default journal, as PersistenceWiring configures it (Akka.Persistence.Sql's query plugin).</summary>
    public static readonly string ReadJournalId = new Akka.Persistence.Sql.Hosting.SqlJournalOptions(true).QueryPluginId;

    /// <summary>Reading the retained history from the journal, and its NDJSON export (times always in UTC, with Z).</summary>
    public static IServiceCollection AddHistory(this IServiceCollection services)
    {
        services.AddSingleton(s => new JournalHistory(s.GetRequiredService<ActorSystem>(), ReadJournalId));
        services.AddSingleton(s =>
        {
            var json = new JsonSerializerOptions(s.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
            json.Converters.Add(new UtcDateTimeConverter());
            json.Converters.Add(new EmptyWhenDefault());
            return new HistoryExport(s.GetRequiredService<JournalHistory>(), json);
        });
        return services;
    }

    /// <summary>The journal decodes an empty list as a default ImmutableArray, which cannot be enumerated: written as [].</summary>
    private sealed class EmptyWhenDefault : JsonConverterFactory
    {
        public override bool CanConvert(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>);

        public override JsonConverter CreateConverter(Type type, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(type.GetGenericArguments()[0]))!;

        private sealed class Converter<T> : JsonConverter<ImmutableArray<T>>
        {
            public override ImmutableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                [.. JsonSerializer.Deserialize<T[]>(ref reader, options) ?? []];

            public override void Write(Utf8JsonWriter writer, ImmutableArray<T> value, JsonSerializerOptions options)
            {
                writer.WriteStartArray();
                foreach (var item in value.IsDefault ? [] : value)
                    JsonSerializer.Serialize(writer, item, options);
                writer.WriteEndArray();
            }
        }
    }

    /// <summary>The journal's times are UTC whatever Kind they decode with: written with Z, so a reader never guesses.</summary>
    private sealed class UtcDateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTime().ToUniversalTime();

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc));
    }
}

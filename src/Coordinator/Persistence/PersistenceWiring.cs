using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
using NodeHealth.Actors.Fleet;
using NodeHealth.Contracts.Health;
using SqlJournalOptions = Akka.Persistence.Sql.Hosting.SqlJournalOptions;
using SqlSnapshotOptions = Akka.Persistence.Sql.Hosting.SqlSnapshotOptions;

namespace NodeHealth.Coordinator.Persistence;

/// <summary>
/// Akka.Persistence.Sql: the default journal for entities (its events tagged for the fleet view,
/// which reads them back through the SQL read journal) and a second one for sharding's remember-entities store
/// (its snapshots go to the one snapshot store).
/// </summary>
public static class PersistenceWiring
{
    public const string ShardingPluginId = "sharding";

    /// <summary>How often the fleet view polls the journal: the most it lags behind a write.</summary>
    public static readonly TimeSpan FleetViewPollInterval = TimeSpan.FromMilliseconds(250);

    public static AkkaConfigurationBuilder WithNodeHealthPersistence(this AkkaConfigurationBuilder builder, CoordinatorOptions options,
        out string shardingJournal, out string shardingSnapshots, out string readJournal)
    {
        var provider = options.Persistence == PersistenceProvider.Sqlite ? ProviderName.SQLiteMS : ProviderName.PostgreSQL15;
        var connectionString = options.ResolvedConnectionString();

        var events = new SqlJournalOptions(true)
        {
            ConnectionString = connectionString,
            ProviderName = provider,
            AutoInitialize = true,
            QueryRefreshInterval = FleetViewPollInterval,
        };
        var snapshots = new SqlSnapshotOptions(true)
        {
            ConnectionString = connectionString,
            ProviderName = provider,
            AutoInitialize = true,
        };
        var sharding = new SqlJournalOptions(false, ShardingPluginId)
        {
            ConnectionString = connectionString,
            ProviderName = provider,
            AutoInitialize = true,
        };
        shardingJournal = sharding.PluginId;
        // Both would write the one snapshot table; two stores creating it at once on a new PostgreSQL database collide.
        shardingSnapshots = snapshots.PluginId;
        readJournal = events.QueryPluginId;

        return builder
            .WithSqlPersistence(events, snapshots)
            .AddHocon(TaggingOf(events.PluginId), HoconAddMode.Prepend)
            .WithSqlPersistence(sharding, null)
            // The read journal learns the highest complete offset on its own timer: it bounds the view's lag as much as the poll.
            .AddHocon($"{readJournal}.journal-sequence-retrieval.query-delay = {FleetViewPollInterval.TotalMilliseconds:0}ms", HoconAddMode.Prepend);
    }

    /// <summary>
    /// The journal's event adapters, as HOCON: Sql.Hosting 1.5.70 takes a journal builder only through an obsolete property.
    /// Tagged events are written as one multi-row insert per batch: the default inserts them row by row, a round trip
    /// each for its identity, which bounded fleet ingest (docs/benchmarks.md).
    /// </summary>
    private static string TaggingOf(string journalPluginId) => $$"""
        {{journalPluginId}} {
          tagtable-asqueryable-insert-mode = parameterized
          event-adapters { fleet-tagger = "{{TypeName(typeof(FleetEventTagger))}}" }
          event-adapter-bindings { "{{TypeName(typeof(INodeHealthEvent))}}" = fleet-tagger }
        }
        """;

    private static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}

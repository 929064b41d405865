using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
using SqlJournalOptions = Akka.Persistence.Sql.Hosting.SqlJournalOptions;
using SqlSnapshotOptions = Akka.Persistence.Sql.Hosting.SqlSnapshotOptions;

namespace NodeHealth.Coordinator.Persistence;

/// <summary>Akka.Persistence.Sql: the default journal for entities and a second one for sharding's remember-entities store.</summary>
public static class PersistenceWiring
{
    public const string ShardingPluginId = "sharding";

    public static AkkaConfigurationBuilder WithNodeHealthPersistence(this AkkaConfigurationBuilder builder, CoordinatorOptions options, out string shardingJournal, out string shardingSnapshots)
    {
        var provider = options.Persistence == PersistenceProvider.Sqlite ? ProviderName.SQLiteMS : ProviderName.PostgreSQL15;
        var connectionString = options.ResolvedConnectionString();

        var sharding = new SqlJournalOptions(false, ShardingPluginId)
        {
            ConnectionString = connectionString,
            ProviderName = provider,
            AutoInitialize = true,
        };
        var shardingSnapshotStore = new SqlSnapshotOptions(false, ShardingPluginId)
        {
            ConnectionString = connectionString,
            ProviderName = provider,
            AutoInitialize = true,
        };
        shardingJournal = sharding.PluginId;
        shardingSnapshots = shardingSnapshotStore.PluginId;

        return builder
            .WithSqlPersistence(connectionString, provider, autoInitialize: true)
            .WithSqlPersistence(sharding, shardingSnapshotStore);
    }
}

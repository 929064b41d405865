using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.DependencyInjection;
using Akka.Hosting;
using NodeHealth.Actors.Detection.Reload;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Health;

/// <summary>
/// What every NodeHealth entity runs with. <see cref="Catalog"/> is the coordinator's: it decides
/// what each reported reason means. An agent silent for longer than <see cref="AgentLease"/> makes
/// its node's conditions Unknown; history older than <see cref="HistoryRetention"/> is trimmed every
/// <see cref="HistoryTrimEvery"/>.
/// </summary>
public sealed record NodeHealthSettings(ReasonCatalog Catalog, TimeProvider Clock)
{
    public static readonly TimeSpan DefaultAgentLease = TimeSpan.FromSeconds(40);
    public static readonly TimeSpan DefaultHistoryRetention = TimeSpan.FromDays(30);
    public static readonly TimeSpan DefaultHistoryTrimEvery = TimeSpan.FromHours(1);

    public TimeSpan AgentLease { get; init; } = DefaultAgentLease;
    public TimeSpan HistoryRetention { get; init; } = DefaultHistoryRetention;
    public TimeSpan HistoryTrimEvery { get; init; } = DefaultHistoryTrimEvery;

    /// <summary>Exports each node's state (to Kubernetes); null: the state stays in the coordinator.</summary>
    public INodeStatusExporter? Exporter { get; init; }

    /// <summary>Swapped when the coordinator's catalog files change (see CatalogWatcher); without it <see cref="Catalog"/> holds for good.</summary>
    public CatalogHolder? Catalogs { get; init; }

    /// <summary>The catalog in force now: each decision reads it, so an edit applies to the next finding.</summary>
    public ReasonCatalog CurrentCatalog => Catalogs?.Current ?? Catalog;
}

/// <summary>Routes by node name. The shard count is part of the stored data: never change it.</summary>
public sealed class NodeHealthMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    public const int ShardCount = 100;

    public override string EntityId(object message) => message is IWithNodeName m ? m.NodeName : null!;
}

/// <summary>ActorRegistry key for the NodeHealth shard region (or proxy).</summary>
public sealed class NodeHealthRegion;

public static class NodeHealthWiring
{
    public const string TypeName = "node-health";
    public const string Role = "coordinator";

    /// <summary>Hosts the NodeHealth shard region: remember-entities (event-sourced) on the given journal.</summary>
    public static AkkaConfigurationBuilder AddNodeHealth(
        this AkkaConfigurationBuilder builder, NodeHealthSettings settings, string shardingJournalId, string shardingSnapshotId) =>
        builder.WithShardRegion<NodeHealthRegion>(
            TypeName,
            (system, _, _) =>
            {
                var exporting = settings with { Exporter = settings.Exporter ?? DependencyResolver.For(system).Resolver.GetService<INodeStatusExporter>() };
                return nodeName => Props.Create(() => new NodeHealthEntity(nodeName, exporting));
            },
            new NodeHealthMessageExtractor(),
            new ShardOptions
            {
                Role = Role,
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = true,
                RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
                JournalPluginId = shardingJournalId,
                SnapshotPluginId = shardingSnapshotId,
            });
}

using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Remote.Hosting;
using NodeHealth.Actors.Health;

namespace NodeHealth.Coordinator.Cluster;

public static class ClusterWiring
{
    public const string SystemName = "node-health";

    /// <summary>
    /// Remoting between coordinators and cluster membership by static seed nodes (StatefulSet DNS names; never
    /// Kubernetes API discovery, DESIGN D8); the split brain resolver keeps the majority of coordinators.
    /// With no seed nodes it forms a one-member cluster.
    /// </summary>
    public static AkkaConfigurationBuilder WithCoordinatorCluster(this AkkaConfigurationBuilder builder, CoordinatorOptions options)
    {
        builder
            .WithRemoting(options.AkkaHostname, options.AkkaPort, options.AkkaPublicHostname)
            .WithClustering(new ClusterOptions
            {
                Roles = [NodeHealthWiring.Role],
                SeedNodes = [.. options.SeedNodes],
                SplitBrainResolver = new KeepMajorityOption { Role = NodeHealthWiring.Role },
            })
            // Hosting's SBR option has no stable-after; a crashed coordinator's shards move this long after it goes silent.
            // SIGTERM stops the host, which ends the agents' streams and Kestrel first and then runs CoordinatedShutdown;
            // Akka's own CLR hook would start leaving the cluster first, under streams still writing to the shard region.
            // The singleton proxies' "failed to find an associated singleton ... after 30 seconds" fires at every start in
            // the same millisecond the proxy starts looking (akka.net#8568): a false alarm at each boot, so it is off; a
            // governor that is really missing shows as 503s of /api/repairs and in its metrics.
            .AddHocon($$"""
                akka.cluster.split-brain-resolver.stable-after = {{options.DowningStableAfter.TotalMilliseconds:0}}ms
                akka.cluster.down-removal-margin = {{options.DownRemovalMargin.TotalMilliseconds:0}}ms
                akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
                akka.cluster.singleton-proxy.log-singleton-identification-failure = off
                """, HoconAddMode.Prepend);

        if (options.SeedNodes.Count == 0)
            builder.AddStartup((system, _) =>
            {
                var cluster = Akka.Cluster.Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        return builder;
    }
}

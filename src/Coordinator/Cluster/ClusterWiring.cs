using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Remote.Hosting;
using NodeHealth.Actors.Health;

namespace NodeHealth.Coordinator.Cluster;

public static class ClusterWiring
{
    public const string SystemName = "node-health";

    /// <summary>Remoting between coordinators and cluster membership; with no seed nodes it forms a one-member cluster.</summary>
    public static AkkaConfigurationBuilder WithCoordinatorCluster(this AkkaConfigurationBuilder builder, CoordinatorOptions options)
    {
        builder
            .WithRemoting(options.AkkaHostname, options.AkkaPort)
            .WithClustering(new ClusterOptions
            {
                Roles = [NodeHealthWiring.Role],
                SeedNodes = [.. options.SeedNodes],
                SplitBrainResolver = new KeepMajorityOption { Role = NodeHealthWiring.Role },
            });

        if (options.SeedNodes.Count == 0)
            builder.AddStartup((system, _) =>
            {
                var cluster = Akka.Cluster.Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        return builder;
    }
}

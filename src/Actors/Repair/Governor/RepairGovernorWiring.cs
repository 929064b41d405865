using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Health;
using NodeHealth.Actors.Repair.Execution;

namespace NodeHealth.Actors.Repair.Governor;

public static class RepairGovernorWiring
{
    public const string WatcherName = "repair-policy-watcher";

    /// <summary>
    /// The governor as a cluster singleton on the coordinators (registered as <see cref="RepairGovernor"/>: the proxy,
    /// wherever the singleton runs), reading this coordinator's <see cref="FleetView"/> (add it first) and the Node labels
    /// from an <see cref="INodeLabelSource"/> in DI when there is one, carrying repairs out through the
    /// <see cref="RepairExecutors"/> in DI when there are (Mode On), showing what it records on the Nodes through an
    /// <see cref="IRepairEventSink"/>s in DI when there are; and, on every coordinator, the policy file's watcher.
    /// </summary>
    public static AkkaConfigurationBuilder AddRepairGovernor(this AkkaConfigurationBuilder builder, RepairGovernorSettings settings, TimeSpan? pollEvery = null)
    {
        builder.WithSingleton<RepairGovernor>(
            RepairGovernor.Id,
            (_, registry, resolver) =>
            {
                var fleet = registry.Get<FleetView>();
                var running = settings with
                {
                    Labels = settings.Labels ?? resolver.GetService<INodeLabelSource>(),
                    Executors = settings.Executors ?? resolver.GetService<RepairExecutors>(),
                    Events = settings.Events ?? RepairEventSinks.Of(resolver.GetService<IEnumerable<IRepairEventSink>>()),
                };
                return Props.Create(() => new RepairGovernor(running, fleet));
            },
            new ClusterSingletonOptions { Role = NodeHealthWiring.Role },
            createProxyToo: true);
        if (settings.Policies.File is null)
            return builder;
        return builder.WithActors((system, _) => system.ActorOf(
            Props.Create(() => new RepairPolicyWatcher(settings.Policies, settings.Catalog, pollEvery ?? RepairPolicyWatcher.DefaultPollEvery)), WatcherName));
    }
}

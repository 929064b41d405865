using Akka.Actor;
using Akka.Hosting;

namespace NodeHealth.Actors.Fleet;

/// <summary>
/// Where the fleet view reads events (a read journal plugin that answers events-by-tag queries) and
/// keeps its snapshot (null: the default snapshot store); how often it saves one.
/// </summary>
public sealed record FleetViewSettings(string ReadJournalPluginId, string? SnapshotPluginId, TimeProvider Clock)
{
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(2);
}

public static class FleetWiring
{
    /// <summary>The fleet read model of this coordinator, registered as <see cref="FleetView"/>.</summary>
    public static AkkaConfigurationBuilder AddFleetView(this AkkaConfigurationBuilder builder, FleetViewSettings settings) =>
        builder.WithActors((system, registry) =>
            registry.Register<FleetView>(system.ActorOf(Props.Create(() => new FleetView(settings)), "fleet-view")));
}

using System.Text.Json;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Microsoft.Extensions.Options;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Health;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Coordinator.Kubernetes.Nodes;

namespace NodeHealth.Coordinator.Api.Live;

public static class LiveWiring
{
    /// <summary>The live feed, its settings, the governor's records published to it, and the current state for resuming clients.</summary>
    public static IServiceCollection AddLiveEvents(this IServiceCollection services)
    {
        services.AddSingleton(s => new LiveFeed(s.GetRequiredService<TimeProvider>()));
        services.AddSingleton(LiveEventsSettings.Default);
        services.AddSingleton(s => new LiveViews(s.GetRequiredService<NodeDirectory>(),
            s.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions));
        services.AddSingleton<IRepairEventSink, RepairChangesPublisher>();
        services.AddSingleton<ILiveState, RelayState>();
        return services;
    }

    /// <summary>DistributedPubSub on the coordinators and the relay from the fleet view and the governor; after both.</summary>
    public static AkkaConfigurationBuilder AddLiveEvents(this AkkaConfigurationBuilder builder, IServiceProvider services) => builder
        .WithDistributedPubSub(NodeHealthWiring.Role)
        .WithActors((system, registry) => registry.Register<LiveFeedRelay>(system.ActorOf(Props.Create(() => new LiveFeedRelay(
            services.GetRequiredService<LiveFeed>(), services.GetRequiredService<LiveViews>(), registry.Get<FleetView>(), registry.Get<RepairGovernor>())), "live-feed")));

    private sealed class RelayState(IRequiredActor<LiveFeedRelay> relay) : ILiveState
    {
        public async Task<IReadOnlyList<LiveItem>> CurrentAsync(CancellationToken cancellation) =>
            await (await relay.GetAsync(cancellation)).Ask<IReadOnlyList<LiveItem>>(LiveFeedRelay.ReadCurrent.Instance, TimeSpan.FromSeconds(10), cancellation);
    }
}

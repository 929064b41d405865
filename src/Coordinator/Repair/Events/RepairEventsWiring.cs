using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Events;

public static class RepairEventsWiring
{
    /// <summary>The governor's decisions and repairs as Events on their Nodes (only with a Kubernetes connection).</summary>
    public static IServiceCollection AddRepairEvents(this IServiceCollection services, KubernetesOptions options)
    {
        services.AddSingleton(s => new RepairEventWriter(s.GetRequiredService<KubernetesApi>(), options.EventNamespace, options.ResolvedReportingInstance(),
            s.GetRequiredService<TimeProvider>(), s.GetRequiredService<ILogger<RepairEventWriter>>()));
        services.AddSingleton<IRepairEventSink>(s => s.GetRequiredService<RepairEventWriter>());
        services.AddHostedService(s => s.GetRequiredService<RepairEventWriter>());
        return services;
    }
}

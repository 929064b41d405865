using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Drain;

public static class DrainWiring
{
    /// <summary>
    /// Cordon and drain over the <see cref="KubernetesApi"/> that AddKubernetes registers when the coordinator has a
    /// cluster (resolving either without one fails: call this only then). Pacing: <see cref="DrainPacing.Default"/>.
    /// </summary>
    public static IServiceCollection AddRepairDrain(this IServiceCollection services, DrainPacing? pacing = null)
    {
        services.AddSingleton<INodeCordon>(s => new NodeCordon(s.GetRequiredService<KubernetesApi>(), s.GetRequiredService<TimeProvider>()));
        services.AddSingleton<INodeDrain>(s => new NodeDrain(s.GetRequiredService<KubernetesApi>(), s.GetRequiredService<TimeProvider>(), pacing ?? DrainPacing.Default));
        return services;
    }
}

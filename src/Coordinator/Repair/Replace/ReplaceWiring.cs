using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Replace;

public static class ReplaceWiring
{
    /// <summary>
    /// Reads "Repair:Replace" (the provider per pool) and registers the <see cref="INodeReplacer"/> the governor's runs
    /// call; after AddKubernetes. Answers configuration errors, each naming the setting and the values it may take.
    /// </summary>
    public static IReadOnlyList<string> AddRepairReplace(this WebApplicationBuilder builder)
    {
        var (choice, errors) = ReplaceOptions.Bind(builder.Configuration).Resolve();
        if (errors.Count > 0)
            return errors;
        builder.Services.AddSingleton(choice);
        builder.Services.AddSingleton<INodeReplacer>(services => services.GetService<KubernetesApi>() is { } api
            ? (INodeReplacer)new NodeReplacer(api, choice)
            : new WithoutKubernetes());
        return [];
    }

    /// <summary>No Kubernetes connection (Kubernetes settings): there is nothing to delete, and saying so beats a silent success.</summary>
    private sealed class WithoutKubernetes : INodeReplacer
    {
        public Task<StepOutcome> ReplaceAsync(string node, string pool, CancellationToken cancellation) =>
            Task.FromResult(StepOutcome.Failed($"replacing node {node} needs a Kubernetes connection, and none is configured (see the Kubernetes settings)"));
    }
}

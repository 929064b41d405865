using System.Collections.Immutable;
using Akka.Hosting;
using NodeHealth.Actors.Detection.Reload;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Coordinator.Kubernetes.Nodes;

namespace NodeHealth.Coordinator.Repair;

public static class RepairWiring
{
    /// <summary>
    /// Reads the "Repair" settings and the policy file (validated against the catalog in force: an error names the
    /// file, the line and the problem), and registers what the governor runs with. Answers configuration errors.
    /// </summary>
    public static IReadOnlyList<string> AddRepair(this WebApplicationBuilder builder, CatalogHolder catalogs)
    {
        var options = RepairOptions.Bind(builder.Configuration);
        var (mode, every, errors) = options.Resolve();
        if (errors.Count > 0)
            return errors;
        RepairPolicyHolder policies;
        try
        {
            policies = RepairPolicyHolder.Load(options.PolicyFile, mode, catalogs.Current);
        }
        catch (RepairPolicyException e)
        {
            return [$"repair policy error: {e.Message}"];
        }

        builder.Services.AddSingleton(policies);
        builder.Services.AddSingleton(services => new RepairGovernorSettings(policies, () => catalogs.Current, services.GetRequiredService<TimeProvider>())
        {
            DecideEvery = every,
        });
        builder.Services.AddSingleton<INodeLabelSource>(services => new DirectoryLabels(services.GetRequiredService<NodeDirectory>()));
        return [];
    }

    /// <summary>The repair governor (a cluster singleton) and the policy file's watcher; after the fleet view.</summary>
    public static AkkaConfigurationBuilder AddRepairGovernor(this AkkaConfigurationBuilder builder, IServiceProvider services) =>
        builder.AddRepairGovernor(services.GetRequiredService<RepairGovernorSettings>());

    /// <summary>The node informer's labels and annotations; empty without Kubernetes (no pool, no zone).</summary>
    private sealed class DirectoryLabels(NodeDirectory directory) : INodeLabelSource
    {
        public NodeLabels? Of(string node) => directory.Find(node) is { } facts
            ? new NodeLabels(facts.Labels.ToImmutableDictionary(StringComparer.Ordinal), facts.Annotations.ToImmutableDictionary(StringComparer.Ordinal))
            : null;
    }
}

using System.Collections.Immutable;
using Akka.Hosting;
using NodeHealth.Actors.Detection.Reload;
using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Coordinator.Kubernetes.Nodes;
using NodeHealth.Coordinator.Repair.Drain;
using NodeHealth.Coordinator.Repair.Events;
using NodeHealth.Coordinator.Repair.Faults;
using NodeHealth.Coordinator.Repair.Reboot;
using NodeHealth.Coordinator.Repair.Replace;

namespace NodeHealth.Coordinator.Repair;

public static class RepairWiring
{
    /// <summary>
    /// Reads the "Repair" settings and the policy file (validated against the catalog in force: an error names the
    /// file, the line and the problem), and registers what the governor runs with: in Mode On also what carries repairs
    /// out (cordon and drain, the replace provider per pool, reboot through the agent, clearing what was repaired). After AddKubernetes: On needs
    /// its connection. Answers configuration errors.
    /// </summary>
    public static IReadOnlyList<string> AddRepair(this WebApplicationBuilder builder, CatalogHolder catalogs)
    {
        var options = RepairOptions.Bind(builder.Configuration);
        var kubernetes = builder.Services.Any(s => s.ServiceType == typeof(KubernetesApi));
        var (mode, every, timings, errors) = options.Resolve(kubernetes);
        if (errors.Count > 0)
            return errors;
        if (builder.AddRepairReplace() is { Count: > 0 } replaceErrors)
            return replaceErrors;
        builder.Services.AddRepairReboot();
        builder.Services.AddSingleton<INodeFaultClearer, EntityFaultClearer>();
        if (kubernetes)
        {
            builder.Services.AddRepairDrain();
            builder.Services.AddRepairEvents(KubernetesOptions.Bind(builder.Configuration));
        }
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
        if (mode == RepairMode.On)
            builder.Services.AddSingleton(services => Executors(services, timings)); // The governor resolves it once the actor system runs (reboot asks the shard region).
        builder.Services.AddSingleton<INodeLabelSource>(services => new DirectoryLabels(services.GetRequiredService<NodeDirectory>()));
        return [];
    }

    /// <summary>The repair governor (a cluster singleton) and the policy file's watcher; after the fleet view.</summary>
    public static AkkaConfigurationBuilder AddRepairGovernor(this AkkaConfigurationBuilder builder, IServiceProvider services) =>
        builder.AddRepairGovernor(services.GetRequiredService<RepairGovernorSettings>());

    private static RepairExecutors Executors(IServiceProvider services, ExecutionTimings timings) => new(
        services.GetRequiredService<INodeCordon>(), services.GetRequiredService<INodeDrain>(),
        services.GetRequiredService<INodeReplacer>(), services.GetRequiredService<INodeRebooter>(), services.GetRequiredService<INodeFaultClearer>())
    {
        DrainSettings = timings.Drain,
        VerifyTimeout = timings.VerifyTimeout,
    };

    /// <summary>The node informer's labels, annotations and kubelet Ready; nothing without Kubernetes (no pool, no zone, no Ready).</summary>
    private sealed class DirectoryLabels(NodeDirectory directory) : INodeLabelSource
    {
        public NodeLabels? Of(string node) => directory.Find(node) is { } facts
            ? new NodeLabels(facts.Labels.ToImmutableDictionary(StringComparer.Ordinal), facts.Annotations.ToImmutableDictionary(StringComparer.Ordinal))
            {
                KubeletReady = facts.Ready is { Since: { } since } ready
                    ? new ConditionSnapshot(RepairConditions.KubeletReady, Status(ready.Status), ready.Reason, new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)))
                    : null,
            }
            : null;

        private static ConditionStatus Status(string status) => status switch
        {
            "True" => ConditionStatus.True,
            "False" => ConditionStatus.False,
            _ => ConditionStatus.Unknown,
        };
    }
}

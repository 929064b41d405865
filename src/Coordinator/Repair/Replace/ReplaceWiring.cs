using Amazon.Runtime.Credentials;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Repair.Replace.AutoScaling;
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
        var options = ReplaceOptions.Bind(builder.Configuration);
        var (choice, errors) = options.Resolve();
        if (errors.Count > 0)
            return errors;
        builder.Services.AddSingleton(choice);
        var usesAutoScaling = choice.Default == ReplaceProvider.AutoScaling || choice.Pools.Values.Contains(ReplaceProvider.AutoScaling);
        builder.Services.AddSingleton<INodeReplacer>(services => services.GetService<KubernetesApi>() is { } api
            ? new NodeReplacer(api, choice, usesAutoScaling ? AutoScalingClientOf(options.AutoScaling, services.GetRequiredService<TimeProvider>()) : null)
            : new WithoutKubernetes());
        return [];
    }

    /// <summary>The Auto Scaling client under the credentials the AWS SDK resolves (IRSA, EKS Pod Identity, environment, instance profile), resolved per call and cached by the SDK.</summary>
    private static AutoScalingClient AutoScalingClientOf(AutoScalingOptions options, TimeProvider clock) =>
        new(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, options.ResolvedEndpoint, options.ResolvedRegion!,
            async _ => await (await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null)).GetCredentialsAsync(), clock);

    /// <summary>No Kubernetes connection (Kubernetes settings): there is nothing to delete, and saying so beats a silent success.</summary>
    private sealed class WithoutKubernetes : INodeReplacer
    {
        public Task<StepOutcome> ReplaceAsync(string node, string pool, CancellationToken cancellation) =>
            Task.FromResult(StepOutcome.Failed($"replacing node {node} needs a Kubernetes connection, and none is configured (see the Kubernetes settings)"));
    }
}

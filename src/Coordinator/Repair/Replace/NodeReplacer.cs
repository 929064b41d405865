using k8s.Models;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Replace;

/// <summary>One way of replacing a node that exists and is not being deleted yet.</summary>
internal interface IReplaceProvider
{
    Task<StepOutcome> ReplaceAsync(V1Node node, CancellationToken cancellation);
}

/// <summary>
/// Replaces a node through its pool's provider. The Node is read first: gone, or already being deleted, means a
/// replacement is under way (Done), so a step repeated after a failover or a lost answer never replaces twice.
/// </summary>
public sealed class NodeReplacer : INodeReplacer
{
    private readonly KubernetesApi _api;
    private readonly ReplaceChoice _choice;
    private readonly Dictionary<ReplaceProvider, IReplaceProvider> _providers;

    public NodeReplacer(KubernetesApi api, ReplaceChoice choice, AutoScaling.AutoScalingClient? autoScaling = null)
    {
        _api = api;
        _choice = choice;
        _providers = new()
        {
            [ReplaceProvider.DeleteNode] = new DeleteNodeProvider(api),
            [ReplaceProvider.Karpenter] = new KarpenterProvider(api),
            [ReplaceProvider.ClusterApi] = new ClusterApiProvider(api),
        };
        if (autoScaling is not null)
            _providers[ReplaceProvider.AutoScaling] = new AutoScaling.AutoScalingProvider(autoScaling);
    }

    public async Task<StepOutcome> ReplaceAsync(string node, string pool, CancellationToken cancellation)
    {
        var provider = _choice.For(pool);
        var outcome = await Replace(node, provider, cancellation);
        return outcome with { Detail = $"replace through {provider} (pool {pool}): {outcome.Detail}" };
    }

    private async Task<StepOutcome> Replace(string node, ReplaceProvider provider, CancellationToken cancellation)
    {
        var read = await _api.GetNodeAsync(node, cancellation);
        if (read.Failure is { IsNotFound: true })
            return StepOutcome.Done($"node {node} is gone: already replaced");
        if (read.Failure is { } failure)
            return ReplaceOutcomes.From(failure, $"reading node {node}");
        var current = read.Value!;
        if (current.Metadata.DeletionTimestamp is { } since)
            return StepOutcome.Done($"node {node} is being deleted{ReplaceOutcomes.Since(since)}: already being replaced");
        return _providers.TryGetValue(provider, out var replacer)
            ? await replacer.ReplaceAsync(current, cancellation)
            : StepOutcome.Failed($"the {provider} provider is not configured (Repair:Replace:AutoScaling)");
    }
}

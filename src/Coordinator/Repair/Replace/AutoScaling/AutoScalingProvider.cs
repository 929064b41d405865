using System.Text.RegularExpressions;
using k8s.Models;
using NodeHealth.Actors.Repair.Execution;

namespace NodeHealth.Coordinator.Repair.Replace.AutoScaling;

/// <summary>
/// Terminates the node's EC2 instance (from the Node's <c>spec.providerID</c>, <c>aws:///zone/i-…</c>) through its
/// Auto Scaling group without decrementing the desired capacity, so the group launches a replacement: what EKS node
/// auto repair does for managed node groups. The Node object is left to the cloud controller, which deletes it once
/// the instance is gone.
/// </summary>
public sealed partial class AutoScalingProvider(AutoScalingClient client) : IReplaceProvider
{
    public async Task<StepOutcome> ReplaceAsync(V1Node node, CancellationToken cancellation)
    {
        var name = node.Metadata.Name;
        if (InstanceOf(node.Spec?.ProviderID) is not { } instance)
            return StepOutcome.Failed($"node {name} has no AWS instance in spec.providerID ('{node.Spec?.ProviderID}'); " +
                                      "set this pool's provider (Repair:Replace:Pools) to DeleteNode, Karpenter or ClusterApi");
        AutoScalingAnswer answer;
        try
        {
            answer = await client.TerminateInstanceAsync(instance, cancellation);
        }
        catch (HttpRequestException e)
        {
            return StepOutcome.Retry($"terminating instance {instance} of node {name}: Auto Scaling at {client.Endpoint} did not answer ({e.Message})");
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return StepOutcome.Retry($"terminating instance {instance} of node {name}: Auto Scaling at {client.Endpoint} did not answer in time");
        }
        catch (Amazon.Runtime.AmazonClientException e)
        {
            return StepOutcome.Failed($"terminating instance {instance} of node {name}: no AWS credentials ({e.Message}); " +
                                      "give the coordinator's ServiceAccount an IAM role (IRSA or EKS Pod Identity) allowing autoscaling:TerminateInstanceInAutoScalingGroup");
        }

        return Outcome(name, instance, answer);
    }

    public static StepOutcome Outcome(string node, string instance, AutoScalingAnswer answer)
    {
        var doing = $"terminating instance {instance} of node {node} through Auto Scaling";
        if (answer.Succeeded)
            return StepOutcome.Done($"{doing}: its group {answer.Group} launches a replacement (desired capacity kept){(answer.Message.Length > 0 ? $"; {answer.Message}" : "")}");
        if (answer.Code == "ValidationError" && answer.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
            return StepOutcome.Done($"{doing}: Auto Scaling no longer manages it ({answer.Message}): already terminated");
        if (answer.Status is 429 or >= 500 || answer.Code is "Throttling" or "ScalingActivityInProgress" or "ResourceContention" or "ServiceUnavailable")
            return StepOutcome.Retry($"{doing}: {answer.Code}: {answer.Message}");
        return StepOutcome.Failed(answer.Code is "AccessDenied" or "AccessDeniedException" or "UnauthorizedOperation"
            ? $"{doing}: {answer.Code}: {answer.Message}; the coordinator's IAM role must allow autoscaling:TerminateInstanceInAutoScalingGroup"
            : $"{doing}: {answer.Code}: {answer.Message}");
    }

    /// <summary>The instance id of an AWS provider id (<c>aws:///us-west-2a/i-0abc…</c>), or null.</summary>
    public static string? InstanceOf(string? providerId) =>
        providerId is not null && ProviderId().Match(providerId) is { Success: true } match ? match.Groups["instance"].Value : null;

    [GeneratedRegex(@"^aws:///[a-z0-9-]+/(?<instance>i-[0-9a-f]{8,17})$")]
    private static partial Regex ProviderId();
}

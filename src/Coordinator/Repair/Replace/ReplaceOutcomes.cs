using System.Net;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Replace;

/// <summary>What an API failure means for the replace step: try again later, or stop and let escalation decide.</summary>
internal static class ReplaceOutcomes
{
    /// <param name="doing">What was being done, e.g. "deleting NodeClaim gpu-x7k2p": the detail starts with it.</param>
    public static StepOutcome From(ApiFailure failure, string doing)
    {
        if (failure.IsRetryable)
            return StepOutcome.Retry(failure.RetryAfter is { } after
                ? $"{doing}: {failure} (the server asks to retry after {after.TotalSeconds:0}s)"
                : $"{doing}: {failure}");
        return StepOutcome.Failed(failure.Status == (int)HttpStatusCode.Forbidden
            ? $"{doing}: {failure}; the coordinator's ClusterRole (k8s/base/coordinator/rbac.yaml) must allow it"
            : $"{doing}: {failure}");
    }

    public static string Since(DateTime? deletionTimestamp) =>
        deletionTimestamp is { } at ? $" since {at.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}" : "";
}

using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Drain;

/// <summary>A failed API call as a step's outcome: what is worth retrying (5xx, 429, 409, no answer) is Retry, the rest Failed.</summary>
public static class CallOutcome
{
    public static StepOutcome Of(ApiFailure failure, string doing) => failure.IsRetryable
        ? StepOutcome.Retry($"{doing} failed ({failure}); trying again")
        : StepOutcome.Failed($"{doing} was refused ({failure}){Hint(failure)}");

    private static string Hint(ApiFailure failure) =>
        failure.Status is 401 or 403 ? ": check the coordinator's RBAC (k8s/base/coordinator/rbac.yaml)" : "";
}

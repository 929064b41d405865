using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Coordinator.Kubernetes.Conditions;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.Kubernetes.Tests.Support;

/// <summary>Entity states and writer settings as the tests use them: short windows, fast retries, a generous budget.</summary>
public static class Writers
{
    public static readonly DateTime T0 = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);

    public static KubernetesApi Api(TestApiServer server, TimeSpan? timeout = null, double qps = 1000, int burst = 1000) =>
        new(server.Client(), new RequestBudget(qps, burst, TimeProvider.System), timeout ?? TimeSpan.FromSeconds(5), KubernetesApi.DefaultFieldManager);

    public static ConditionWriterSettings Settings(TestApiServer server, TimeSpan? timeout = null) =>
        new(Api(server, timeout), TimeProvider.System)
        {
            Coalesce = TimeSpan.FromMilliseconds(50),
            HeartbeatEvery = TimeSpan.FromHours(1),
            Retry = new RetryPolicy(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)),
        };

    public static NodeHealthState State(string node, params ConditionState[] conditions) =>
        NodeHealthState.Empty(node) with { Conditions = [.. conditions], LastUpdated = T0, NodeObjectRead = true };

    public static ConditionState Condition(ConditionType type, ConditionStatus status, string reason, string message, DateTime since, params ActiveFault[] faults) =>
        new(type, status, reason, message, since, [.. faults]);

    public static ConditionState KernelReady(DateTime since) =>
        Condition(ConditionType.KernelReady, ConditionStatus.True, "KernelIsReady", "Monitoring for the Kernel system is active", since);

    public static ConditionState KernelPanic(DateTime since) =>
        Condition(ConditionType.KernelReady, ConditionStatus.False, "KernelPanic", "KernelPanic: Kernel panic - not syncing: Fatal exception", since,
            new ActiveFault("KernelPanic", "Kernel panic - not syncing: Fatal exception", since, since, 1));

    public static ImmutableArray<string> Statuses(IEnumerable<RecordedRequest> requests) => [.. requests.Select(r => r.Status.ToString())];
}

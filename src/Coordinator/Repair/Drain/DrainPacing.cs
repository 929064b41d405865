using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Drain;

/// <summary>
/// How a drain paces itself. <see cref="Backoff"/>: between evictions of one pod its budget refused (the server's
/// Retry-After is a floor). <see cref="PollEvery"/>: how often the node's pods are listed again.
/// <see cref="TerminatingGrace"/>: how long past its deletion deadline a terminating pod is still waited for; after that
/// its kubelet is taken to be unable to confirm (a broken node often is) and the pod is left to the reboot or replacement,
/// as kubectl drain's --skip-wait-for-delete-timeout does.
/// </summary>
public sealed record DrainPacing(RetryPolicy Backoff, TimeSpan PollEvery, TimeSpan TerminatingGrace)
{
    /// <summary>kubectl drain retries a refused eviction every 5 s; we back off from there to 30 s.</summary>
    public static readonly DrainPacing Default = new(new RetryPolicy(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1));
}

using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Drain;

/// <summary>When each refused pod may be tried again: one pod's budget holding it back does not hold back the others.</summary>
public sealed class PodBackoff(RetryPolicy policy)
{
    private readonly Dictionary<string, (int Attempts, DateTimeOffset Next)> _waits = [];

    public bool Due(DrainPod pod, DateTimeOffset now) => !_waits.TryGetValue(pod.Uid, out var wait) || wait.Next <= now;

    public void Later(DrainPod pod, ApiFailure failure, DateTimeOffset now)
    {
        var attempts = _waits.TryGetValue(pod.Uid, out var before) ? before.Attempts + 1 : 1;
        _waits[pod.Uid] = (attempts, now + policy.Delay(attempts, failure.RetryAfter, Random.Shared.NextDouble()));
    }

    /// <summary>Forgets the pods no longer waiting to be tried (gone, or terminating).</summary>
    public void KeepOnly(IEnumerable<DrainPod> pods)
    {
        var uids = pods.Select(p => p.Uid).ToHashSet();
        foreach (var uid in _waits.Keys.Where(u => !uids.Contains(u)).ToList())
            _waits.Remove(uid);
    }

    /// <summary>The first moment after <paramref name="now"/> a pod is due again, if one is.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset now) =>
        _waits.Values.Where(w => w.Next > now).Select(w => (DateTimeOffset?)w.Next).Min();
}

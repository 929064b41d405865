using k8s.Models;

namespace NodeHealth.Coordinator.Repair.Drain;

/// <summary>What a drain does with one pod on the node.</summary>
public enum PodFate
{
    /// <summary>Evicted through the Eviction API (deleted after the drain timeout).</summary>
    Evict = 0,
    /// <summary>Already terminating (deletionTimestamp set): the drain waits for it to go.</summary>
    Leaving = 1,
    /// <summary>Terminating for longer than its deletion deadline plus the pacing's grace: its kubelet does not confirm, so the drain stops waiting.</summary>
    Stuck = 2,
    /// <summary>Owned by a DaemonSet: it would come straight back, and it tolerates unschedulable.</summary>
    DaemonSet = 3,
    /// <summary>A static pod's mirror: the kubelet runs it from a file, the API cannot remove it.</summary>
    Mirror = 4,
    /// <summary>Succeeded or Failed: it holds nothing on the node any more.</summary>
    Finished = 5,
}

/// <summary>One pod as the drain sees it.</summary>
public sealed record DrainPod(string Namespace, string Name, string Uid, PodFate Fate, DateTimeOffset? LeavingBy)
{
    public string Key => $"{Namespace}/{Name}";
}

/// <summary>
/// Sorts a node's pods as <c>kubectl drain --ignore-daemonsets --delete-emptydir-data --force</c> does (EKS's drain too):
/// DaemonSet and mirror pods stay, finished pods are left alone, bare pods and pods with local data go like the rest.
/// </summary>
public static class DrainPods
{
    /// <summary>The kubelet's mark on the API object of a static pod.</summary>
    public const string MirrorAnnotation = "kubernetes.io/config.mirror";

    public static DrainPod Sort(V1Pod pod, DateTimeOffset now, TimeSpan terminatingGrace)
    {
        var leavingBy = pod.Metadata?.DeletionTimestamp is { } at ? Utc(at) : (DateTimeOffset?)null;
        return new DrainPod(pod.Metadata?.NamespaceProperty ?? "", pod.Metadata?.Name ?? "", pod.Metadata?.Uid ?? "", FateOf(pod, leavingBy, now, terminatingGrace), leavingBy);
    }

    public static PodFate FateOf(V1Pod pod, DateTimeOffset? leavingBy, DateTimeOffset now, TimeSpan terminatingGrace)
    {
        if (pod.Metadata?.Annotations?.ContainsKey(MirrorAnnotation) == true)
            return PodFate.Mirror;
        if (pod.Metadata?.OwnerReferences?.Any(o => o.Controller == true && o.Kind == "DaemonSet") == true)
            return PodFate.DaemonSet;
        if (pod.Status?.Phase is "Succeeded" or "Failed")
            return PodFate.Finished;
        if (leavingBy is { } by)
            return now > by + terminatingGrace ? PodFate.Stuck : PodFate.Leaving;
        return PodFate.Evict;
    }

    private static DateTimeOffset Utc(DateTime at) =>
        new(at.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : at.ToUniversalTime());
}

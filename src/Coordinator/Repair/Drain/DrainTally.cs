using System.Text.RegularExpressions;
using NodeHealth.Actors.Yaml;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Drain;

/// <summary>What one drain call did, and the sentence a person reads about it in the decision log and the Node's Event.</summary>
public sealed partial class DrainTally
{
    private readonly HashSet<string> _evicted = [];
    private readonly List<string> _deleted = [];
    private readonly Dictionary<string, string> _refusals = [];
    private IReadOnlyList<DrainPod> _latest = [];

    public int Evicted => _evicted.Count;

    public int Deleted => _deleted.Count;

    public void RecordListing(IReadOnlyList<DrainPod> pods) => _latest = pods;

    public void RecordEviction(DrainPod pod) => _evicted.Add(pod.Uid);

    public void RecordDeletion(DrainPod pod) => _deleted.Add(pod.Key);

    /// <summary>The latest reason the API server gave for not evicting <paramref name="pod"/>; it names the blocker when the pod is deleted at the timeout.</summary>
    public void RecordRefusal(DrainPod pod, ApiFailure failure) => _refusals[pod.Key] = Blocker(pod.Namespace, failure.Message);

    public string Text(TimeSpan timeout)
    {
        var parts = new List<string>();
        if (Evicted > 0)
            parts.Add($"evicted {Pods(Evicted)}");
        if (Deleted > 0)
        {
            var blockers = _deleted.Where(_refusals.ContainsKey).Select(k => _refusals[k]).Distinct().ToList();
            parts.Add($"deleted {Deleted} left after the {Duration.Text(timeout)} drain timeout" + (blockers.Count > 0 ? $" (blocked by {string.Join(", ", blockers)})" : ""));
        }

        if (Count(PodFate.Stuck) is > 0 and var stuck)
            parts.Add($"{Pods(stuck)} still terminating past {(stuck == 1 ? "its" : "their")} grace period (the kubelet does not confirm), left to the reboot or replacement");
        if (Count(PodFate.DaemonSet) + Count(PodFate.Mirror) is > 0 and var skipped)
            parts.Add($"skipped {Pods(skipped, "DaemonSet/mirror pod")}");
        if (Count(PodFate.Finished) is > 0 and var finished)
            parts.Add($"left {Pods(finished, "finished pod")} alone");
        if (Evicted == 0 && Deleted == 0)
            parts.Insert(0, "no pods to evict");
        return string.Join(", ", parts);
    }

    /// <summary>
    /// The API server names the budget only in the 429's cause ("The disruption budget web needs 2 healthy pods and has 2 currently");
    /// a pod under two budgets gets a 500 that says so.
    /// </summary>
    public static string Blocker(string ns, string refusal) =>
        BudgetName().Match(refusal) is { Success: true } match ? $"PodDisruptionBudget {ns}/{match.Groups[1].Value}"
        : refusal.Contains("more than one PodDisruptionBudget", StringComparison.Ordinal) ? "more than one PodDisruptionBudget"
        : refusal;

    private int Count(PodFate fate) => _latest.Count(p => p.Fate == fate);

    private static string Pods(int count, string what = "pod") => $"{count} {what}{(count == 1 ? "" : "s")}";

    [GeneratedRegex(@"The disruption budget (\S+) ")]
    private static partial Regex BudgetName();
}

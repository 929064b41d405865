using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Repair.Drain;

/// <summary>
/// Drains a node the way EKS and kubectl drain do: every pod but DaemonSet, mirror and finished ones is evicted through
/// the Eviction API; a pod its PodDisruptionBudget protects (429) is tried again with backoff while the others go on;
/// from <c>startedAt + Timeout</c> what is left is deleted with the configured grace period. Done once no pod is left to
/// evict or waiting to terminate (<see cref="DrainPacing.TerminatingGrace"/>). All state lives in the cluster, so a call
/// after a failover resumes with the original deadline; a failed listing answers Retry at once and the run calls again.
/// </summary>
public sealed class NodeDrain(KubernetesApi api, TimeProvider clock, DrainPacing pacing) : INodeDrain
{
    public async Task<StepOutcome> DrainAsync(string node, DrainSettings settings, DateTimeOffset startedAt, CancellationToken cancellation)
    {
        var round = new Round(settings, startedAt + settings.Timeout, new DrainTally(), new PodBackoff(pacing.Backoff), []);
        while (true)
        {
            var listed = await api.ListPodsOnNodeAsync(node, cancellation);
            if (listed.Value is not { } list)
                return Interrupted(CallOutcome.Of(listed.Failure!, $"listing the pods on node {node}"), round);
            var now = clock.GetUtcNow();
            var pods = list.Items.Select(p => DrainPods.Sort(p, now, pacing.TerminatingGrace)).ToList();
            round.Tally.RecordListing(pods);
            var waiting = pods.Where(p => p.Fate is PodFate.Evict or PodFate.Leaving).ToList();
            if (waiting.Count == 0)
                return StepOutcome.Done(round.Tally.Text(settings.Timeout));
            round.Evictions.KeepOnly(waiting);

            var failed = now < round.Deadline ? await Evict(waiting, round, now, cancellation) : await Delete(waiting, round, now, cancellation);
            if (failed is not null)
                return Interrupted(failed, round);
            await Task.Delay(Pause(now, round), clock, cancellation);
        }
    }

    /// <summary>One call's progress: the counts for the detail, and when each refused pod is due again.</summary>
    private sealed record Round(DrainSettings Settings, DateTimeOffset Deadline, DrainTally Tally, PodBackoff Evictions, HashSet<string> Deleted);

    /// <summary>One round of evictions, of each pod whose backoff is over; the failure that ends the drain, if any.</summary>
    private async Task<StepOutcome?> Evict(List<DrainPod> pods, Round round, DateTimeOffset now, CancellationToken cancellation)
    {
        foreach (var pod in pods.Where(p => p.Fate == PodFate.Evict && round.Evictions.Due(p, now)))
        {
            var evicted = await api.EvictPodAsync(pod.Namespace, pod.Name, cancellation);
            if (evicted.Failure is not { } failure)
                round.Tally.RecordEviction(pod);
            else if (failure.IsRetryable)
            {
                round.Tally.RecordRefusal(pod, failure);
                round.Evictions.Later(pod, failure, clock.GetUtcNow()); // Retry-After counts from the answer, not from the round's start.
            }
            else if (!failure.IsNotFound)
                return CallOutcome.Of(failure, $"evicting pod {pod.Key}");
        }

        return null;
    }

    /// <summary>
    /// Past the deadline: every pod still running is deleted (once), and pods
    /// already terminating with a longer grace than the configured one are deleted again so that they end sooner.
    /// </summary>
    private async Task<StepOutcome?> Delete(List<DrainPod> pods, Round round, DateTimeOffset now, CancellationToken cancellation)
    {
        var grace = round.Settings.DeleteGracePeriod;
        var targets = pods.Where(p => !round.Deleted.Contains(p.Uid) &&
                                      (p.Fate == PodFate.Evict || (grace is { } g && p.LeavingBy > now + g + TimeSpan.FromSeconds(1))));
        foreach (var pod in targets.ToList())
        {
            var deleted = await api.DeletePodAsync(pod.Namespace, pod.Name, pod.Uid, grace, cancellation);
            // Past the deadline nothing bounds this call any more: a failed delete hands the step back to the run (Retry).
            if (deleted.Failure is { IsNotFound: false } failure)
                return CallOutcome.Of(failure, $"deleting pod {pod.Key} after the drain timeout");

            round.Deleted.Add(pod.Uid);
            if (pod.Fate == PodFate.Evict && deleted.Succeeded)
                round.Tally.RecordDeletion(pod);
        }

        return null;
    }

    /// <summary>Until the next listing: the poll interval, shortened to the deadline or to the first pod due again.</summary>
    private TimeSpan Pause(DateTimeOffset now, Round round)
    {
        var wake = now + pacing.PollEvery;
        if (now < round.Deadline && round.Deadline < wake)
            wake = round.Deadline;
        if (round.Evictions.NextAfter(now) is { } due && due < wake)
            wake = due;
        var pause = wake - clock.GetUtcNow();
        return pause > TimeSpan.Zero ? pause : TimeSpan.Zero;
    }

    private static StepOutcome Interrupted(StepOutcome why, Round round) =>
        round.Tally.Evicted + round.Tally.Deleted == 0 ? why : why with { Detail = $"{why.Detail} (so far: {round.Tally.Text(round.Settings.Timeout)})" };
}

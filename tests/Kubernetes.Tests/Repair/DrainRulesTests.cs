using k8s.Models;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Coordinator.Repair.Drain;

namespace NodeHealth.Kubernetes.Tests.Repair;

/// <summary>The drain's pure parts with literals: which pods go, who holds a cordon, and the sentence a person reads.</summary>
public sealed class DrainRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 22, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData("ReplicaSet", null, "Running", null, PodFate.Evict)]
    [InlineData("", null, "Running", null, PodFate.Evict)]
    [InlineData("StatefulSet", null, "Pending", null, PodFate.Evict)]
    [InlineData("DaemonSet", null, "Running", null, PodFate.DaemonSet)]
    [InlineData("Node", "kubernetes.io/config.mirror", "Running", null, PodFate.Mirror)]
    [InlineData("Job", null, "Succeeded", null, PodFate.Finished)]
    [InlineData("Job", null, "Failed", null, PodFate.Finished)]
    [InlineData("ReplicaSet", null, "Running", 30, PodFate.Leaving)]
    [InlineData("ReplicaSet", null, "Running", -50, PodFate.Leaving)]
    [InlineData("ReplicaSet", null, "Running", -61, PodFate.Stuck)]
    [InlineData("DaemonSet", null, "Running", -600, PodFate.DaemonSet)]
    public void Each_pod_on_the_node_is_evicted_waited_for_or_left_as_kubectl_drain_does(string owner, string? annotation, string phase, int? deletionInSeconds, PodFate fate)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "p", NamespaceProperty = "default", Uid = "u-1",
                Annotations = annotation is null ? null : new Dictionary<string, string> { [annotation] = "hash" },
                OwnerReferences = owner.Length == 0 ? null : [new V1OwnerReference { ApiVersion = "apps/v1", Kind = owner, Name = "o", Uid = "o-1", Controller = true }],
                DeletionTimestamp = deletionInSeconds is { } s ? Now.UtcDateTime.AddSeconds(s) : null,
            },
            Status = new V1PodStatus { Phase = phase },
        };

        Assert.Equal(fate, DrainPods.Sort(pod, Now, Grace).Fate);
    }

    [Fact]
    public void A_pod_merely_owned_by_a_DaemonSet_without_being_controlled_is_evicted()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p", OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "d", Uid = "d-1", Controller = false }] },
            Status = new V1PodStatus { Phase = "Running" },
        };

        Assert.Equal(PodFate.Evict, DrainPods.Sort(pod, Now, Grace).Fate);
    }

    [Fact]
    public void The_detail_names_what_was_evicted_deleted_after_the_timeout_and_skipped()
    {
        var tally = new DrainTally();
        var evicted = Enumerable.Range(1, 5).Select(i => new DrainPod("shop", $"api-{i}", $"u-{i}", PodFate.Evict, null)).ToList();
        var web = new DrainPod("shop", "web-0", "u-web", PodFate.Evict, null);
        evicted.ForEach(tally.RecordEviction);
        tally.RecordRefusal(web, new ApiFailure(429,
            "Cannot evict pod as it would violate the pod's disruption budget. (The disruption budget web needs 2 healthy pods and has 2 currently)"));
        tally.RecordDeletion(web);
        tally.RecordListing([
            new DrainPod("kube-system", "kube-proxy-1", "d-1", PodFate.DaemonSet, null),
            new DrainPod("kube-system", "aws-node-1", "d-2", PodFate.DaemonSet, null),
            new DrainPod("kube-system", "etcd-node-a", "m-1", PodFate.Mirror, null),
        ]);

        Assert.Equal("evicted 5 pods, deleted 1 left after the 15m drain timeout (blocked by PodDisruptionBudget shop/web), skipped 3 DaemonSet/mirror pods",
            tally.Text(TimeSpan.FromMinutes(15)));
    }

    [Theory]
    [InlineData("Cannot evict pod as it would violate the pod's disruption budget. (The disruption budget web-pdb needs 3 healthy pods and has 3 currently)", "PodDisruptionBudget shop/web-pdb")]
    [InlineData("Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", "more than one PodDisruptionBudget")]
    [InlineData("no answer within 10s", "no answer within 10s")]
    public void A_refusal_names_its_blocker(string refusal, string blocker)
    {
        Assert.Equal(blocker, DrainTally.Blocker("shop", refusal));
    }

    [Theory]
    [InlineData(null, false, CordonHolder.None)]
    [InlineData(false, true, CordonHolder.None)]
    [InlineData(true, true, CordonHolder.Repair)]
    [InlineData(true, false, CordonHolder.Other)]
    public void A_cordon_is_ours_only_with_our_annotation(bool? unschedulable, bool annotated, CordonHolder holder)
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "node-a", Annotations = annotated ? new Dictionary<string, string> { [Cordons.Annotation] = "2026-11-27T22:00:00Z" } : null },
            Spec = new V1NodeSpec { Unschedulable = unschedulable },
        };

        Assert.Equal(holder, Cordons.HolderOf(node));
    }

    [Fact]
    public void Cordon_and_uncordon_are_conditional_merge_patches_of_the_flag_and_our_annotation()
    {
        Assert.Equal("""{"metadata":{"resourceVersion":"42","annotations":{"node-health.io/cordoned-by-repair":"2026-11-27T22:00:00Z"}},"spec":{"unschedulable":true}}""",
            Cordons.CordonPatch("42", Now));
        Assert.Equal("""{"metadata":{"resourceVersion":"43","annotations":{"node-health.io/cordoned-by-repair":null}},"spec":{"unschedulable":null}}""",
            Cordons.UncordonPatch("43"));
    }
}

using System.Text.RegularExpressions;
using k8s.Models;
using NodeHealth.Deployment.Tests.Support;

namespace NodeHealth.Deployment.Tests;

/// <summary>
/// Least privilege, checked both ways: every verb the coordinator is granted is used by a call in src/, and every
/// Kubernetes API call in src/ is granted. Repair's verbs (pods, evictions, node patch and delete) arrive with its code.
/// </summary>
public sealed partial class RbacTests
{
    private sealed record Grant(string Group, string Resource, string Verb);

    /// <summary>KubernetesClient operation → the permission it needs. A new call must be added here and to k8s/.</summary>
    private static readonly Dictionary<string, Grant> Needs = new()
    {
        ["CoreV1.ReadNodeAsync"] = new("", "nodes", "get"),
        ["CoreV1.ListNodeAsync"] = new("", "nodes", "list"),
        ["CoreV1.WatchListNodeAsync"] = new("", "nodes", "watch"),
        ["CoreV1.PatchNodeStatusAsync"] = new("", "nodes/status", "patch"),
        ["EventsV1.CreateNamespacedEventAsync"] = new("events.k8s.io", "events", "create"),
        ["EventsV1.PatchNamespacedEventAsync"] = new("events.k8s.io", "events", "patch"),
        ["AuthenticationV1.CreateTokenReviewAsync"] = new("authentication.k8s.io", "tokenreviews", "create"),
        ["CoreV1.DeleteNodeAsync"] = new("", "nodes", "delete"),
        ["CustomObjects.ListClusterCustomObjectAsync karpenter.sh/nodeclaims"] = new("karpenter.sh", "nodeclaims", "list"),
        ["CustomObjects.DeleteClusterCustomObjectAsync karpenter.sh/nodeclaims"] = new("karpenter.sh", "nodeclaims", "delete"),
        ["CustomObjects.GetNamespacedCustomObjectAsync cluster.x-k8s.io/machines"] = new("cluster.x-k8s.io", "machines", "get"),
        ["CustomObjects.ListClusterCustomObjectAsync cluster.x-k8s.io/machines"] = new("cluster.x-k8s.io", "machines", "list"),
        ["CustomObjects.DeleteNamespacedCustomObjectAsync cluster.x-k8s.io/machines"] = new("cluster.x-k8s.io", "machines", "delete"),
        ["CoreV1.PatchNodeAsync"] = new("", "nodes", "patch"),
        ["CoreV1.ListPodForAllNamespacesAsync"] = new("", "pods", "list"),
        ["CoreV1.CreateNamespacedPodEvictionAsync"] = new("", "pods/eviction", "create"),
        ["CoreV1.DeleteNamespacedPodAsync"] = new("", "pods", "delete"),
    };

    /// <summary>Calls made only in some configurations: granted exactly where the coordinator is configured for them.</summary>
    private static readonly Dictionary<string, (string Variable, string Value)> OnlyWhen = new()
    {
        ["AuthenticationV1.CreateTokenReviewAsync"] = ("Coordinator__AgentAuthentication", "TokenReview"),
    };

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Every_granted_verb_is_used_by_the_code(string path)
    {
        var calls = CallsInCode();
        foreach (var grant in Granted(Overlay.Of(path)))
        {
            var users = Needs.Where(n => n.Value == grant).Select(n => n.Key).ToList();
            Assert.True(users.Count > 0, $"{path} grants {Describe(grant)}, which no known call needs: remove it, or add the call that uses it to RbacTests.Needs");
            Assert.True(users.Any(calls.ContainsKey), $"{path} grants {Describe(grant)} for {string.Join(", ", users)}, which nothing in src/ calls");
        }
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Every_call_in_the_code_is_granted_where_the_coordinator_makes_it(string path)
    {
        var overlay = Overlay.Of(path);
        var granted = Granted(overlay).ToHashSet();
        var environment = PodEnvironment.Of(overlay.Coordinator);

        foreach (var (call, files) in CallsInCode())
        {
            Assert.True(Needs.TryGetValue(call, out var grant), $"{string.Join(", ", files)} calls {call}: add the permission it needs to RbacTests.Needs and to k8s/");
            var made = !OnlyWhen.TryGetValue(call, out var condition) || environment[condition.Variable] == condition.Value;
            Assert.True(made == granted.Contains(grant!),
                made ? $"{path} does not grant {Describe(grant!)}, which {call} ({string.Join(", ", files)}) needs"
                     : $"{path} grants {Describe(grant!)} although its coordinator never calls {call}");
        }
    }

    [Fact]
    public void The_code_makes_the_calls_this_table_was_written_from()
    {
        var calls = CallsInCode();

        Assert.Contains("CoreV1.PatchNodeStatusAsync", calls.Keys);
        Assert.Contains("EventsV1.CreateNamespacedEventAsync", calls.Keys);
        Assert.Contains("CoreV1.WatchListNodeAsync", calls.Keys);
        Assert.Contains("CustomObjects.DeleteClusterCustomObjectAsync karpenter.sh/nodeclaims", calls.Keys);
    }

    [Fact]
    public void Event_permissions_are_granted_in_the_namespace_the_coordinator_records_events_in()
    {
        var overlay = Overlay.Of(Overlay.Base);
        var eventNamespace = PodEnvironment.Of(overlay.Coordinator)["Kubernetes__EventNamespace"]
                             ?? new NodeHealth.Coordinator.Kubernetes.KubernetesOptions().EventNamespace;

        var role = overlay.All<V1Role>().Single(r => r.Rules.Any(rule => rule.Resources.Contains("events")));
        Assert.Equal(eventNamespace, role.Metadata.NamespaceProperty);
        Assert.Contains(overlay.All<V1RoleBinding>(), b => b.RoleRef.Name == role.Metadata.Name && b.Metadata.NamespaceProperty == eventNamespace);
    }

    /// <summary>Every (group, resource, verb) bound to the coordinator's service account, one per combination.</summary>
    private static IEnumerable<Grant> Granted(Overlay overlay)
    {
        bool ToCoordinator(IEnumerable<Rbacv1Subject> subjects) =>
            subjects.Any(s => s is { Kind: "ServiceAccount", Name: "node-health-coordinator", NamespaceProperty: "node-health" });

        var clusterRoles = overlay.All<V1ClusterRoleBinding>().Where(b => ToCoordinator(b.Subjects)).Select(b => b.RoleRef.Name).ToHashSet();
        var roles = overlay.All<V1RoleBinding>().Where(b => ToCoordinator(b.Subjects)).Select(b => (b.RoleRef.Name, b.Metadata.NamespaceProperty)).ToHashSet();
        var rules = overlay.All<V1ClusterRole>().Where(r => clusterRoles.Contains(r.Metadata.Name)).SelectMany(r => r.Rules)
            .Concat(overlay.All<V1Role>().Where(r => roles.Contains((r.Metadata.Name, r.Metadata.NamespaceProperty))).SelectMany(r => r.Rules)).ToList();
        Assert.All(rules, r => Assert.True(r.ResourceNames is null && r.NonResourceURLs is null, "rules name API groups, resources and verbs only"));
        Assert.DoesNotContain(rules, r => r.Verbs.Contains("*") || r.Resources.Contains("*") || r.ApiGroups.Contains("*"));
        return rules.SelectMany(r => r.ApiGroups.SelectMany(g => r.Resources.SelectMany(res => r.Verbs.Select(v => new Grant(g, res, v))))).Distinct();
    }

    /// <summary>
    /// Every KubernetesClient operation called in src/ (client.CoreV1.ReadNodeAsync(...)), with the files that call it; a
    /// custom-object call is told apart by its group and plural ("CustomObjects.DeleteClusterCustomObjectAsync karpenter.sh/nodeclaims").
    /// </summary>
    private static Dictionary<string, List<string>> CallsInCode() =>
        Repository.Sources()
            .SelectMany(s => ClientCall().Matches(s.Text).Select(m => (Call: $"{m.Groups[1].Value}.{m.Groups[2].Value}", s.Path))
                .Concat(CustomObjectCalls(s.Path, s.Text)))
            .GroupBy(c => c.Call)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Path).Distinct().ToList());

    private static IEnumerable<(string Call, string Path)> CustomObjectCalls(string path, string text)
    {
        var calls = CustomObjectCall().Matches(text);
        Assert.True(calls.Count == AnyCustomObjectCall().Matches(text).Count,
            $"{path} calls client.CustomObjects without literal named arguments 'group: \"…\", version: \"…\", plural: \"…\"' first: write them so, or RbacTests cannot tell what it touches");
        return calls.Select(m => ($"CustomObjects.{m.Groups[1].Value} {m.Groups[2].Value}/{m.Groups[3].Value}", path));
    }

    private static string Describe(Grant grant) => $"{grant.Verb} on {(grant.Group == "" ? "" : grant.Group + "/")}{grant.Resource}";

    [GeneratedRegex(@"\.((?:[A-Z][a-z]+)+V[0-9]+(?:(?:alpha|beta)[0-9]+)?)\.([A-Z][A-Za-z]+Async)\(")]
    private static partial Regex ClientCall();

    [GeneratedRegex(@"\.CustomObjects\.([A-Z][A-Za-z]+Async)(?:<[A-Za-z]+>)?\(group: ""([^""]+)"", version: ""[^""]+"", plural: ""([^""]+)""")]
    private static partial Regex CustomObjectCall();

    [GeneratedRegex(@"\.CustomObjects\.[A-Z][A-Za-z]+Async\b")]
    private static partial Regex AnyCustomObjectCall();
}

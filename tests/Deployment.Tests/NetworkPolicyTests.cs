using k8s.Models;
using NodeHealth.Deployment.Tests.Support;

namespace NodeHealth.Deployment.Tests;

/// <summary>Who may reach the coordinators on which port: remoting between coordinators, ingest from nodes, the API from where it is allowed.</summary>
public sealed class NetworkPolicyTests
{
    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Akka_remoting_is_reachable_only_from_other_coordinators(string path)
    {
        var overlay = Overlay.Of(path);
        var rules = RulesOpening(overlay, "akka").ToList();

        Assert.NotEmpty(rules);
        Assert.All(rules.SelectMany(r => r.FromProperty ?? []), peer =>
        {
            Assert.Null(peer.IpBlock);
            Assert.Null(peer.NamespaceSelector);
            Assert.Equal(overlay.Coordinators.Spec.Selector.MatchLabels, peer.PodSelector.MatchLabels);
        });
        Assert.DoesNotContain(rules, r => r.FromProperty is null || r.FromProperty.Count == 0);
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Ingest_is_open_to_the_node_network_the_host_network_agents_connect_from(string path)
    {
        var overlay = Overlay.Of(path);
        var rules = RulesOpening(overlay, "grpc").ToList();

        Assert.True(overlay.Agents.Spec.Template.Spec.HostNetwork, "agents off the host network would be matched by a podSelector instead");
        var from = Assert.Single(Assert.Single(rules).FromProperty);
        Assert.NotNull(from.IpBlock.Cidr);
        Assert.DoesNotContain("akka", rules.SelectMany(r => r.Ports).Select(p => p.Port.Value));
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_API_is_open_to_namespaces_labelled_for_it_and_to_this_namespace(string path)
    {
        var from = Assert.Single(RulesOpening(Overlay.Of(path), "http")).FromProperty;

        Assert.Contains(from, p => p.NamespaceSelector?.MatchLabels is { } labels && labels.TryGetValue("node-health.io/api-access", out var allowed) && allowed == "true" && p.PodSelector is null);
        Assert.Contains(from, p => p.NamespaceSelector is null && p.PodSelector is { MatchLabels: null, MatchExpressions: null });
        Assert.DoesNotContain(from, p => p.IpBlock is not null);
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Every_policy_selects_the_coordinators_and_names_ports_they_have(string path)
    {
        var overlay = Overlay.Of(path);
        var ports = overlay.Coordinator.Ports.Select(p => p.Name).ToHashSet();

        Assert.All(overlay.All<V1NetworkPolicy>(), policy =>
        {
            Assert.Equal(overlay.Coordinators.Spec.Selector.MatchLabels, policy.Spec.PodSelector.MatchLabels);
            Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
            Assert.All(policy.Spec.Ingress.SelectMany(r => r.Ports), p => Assert.Contains(p.Port.Value, ports));
        });
        Assert.Equal(ports, overlay.All<V1NetworkPolicy>().SelectMany(p => p.Spec.Ingress).SelectMany(r => r.Ports).Select(p => p.Port.Value).ToHashSet());
    }

    private static IEnumerable<V1NetworkPolicyIngressRule> RulesOpening(Overlay overlay, string port) =>
        overlay.All<V1NetworkPolicy>().SelectMany(p => p.Spec.Ingress).Where(r => r.Ports.Any(p => p.Port.Value == port));
}

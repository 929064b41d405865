using System.Collections.Immutable;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Repair;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Repair;

/// <summary>Nodes and conditions for the repair tests, written the way Kubernetes shows them.</summary>
internal static class Nodes
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    public static readonly ReasonCatalog Catalog = CatalogLoader.LoadBuiltIn();

    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    public static ConditionSnapshot False(string type, string reason, DateTimeOffset since) => new(type, ConditionStatus.False, reason, since);

    public static ConditionSnapshot Unknown(string type, DateTimeOffset since) => new(type, ConditionStatus.Unknown, "AgentSilent", since);

    public static ConditionSnapshot True(string type) => new(type, ConditionStatus.True, "Ready", T0.AddDays(-1));

    public static NodeSnapshot Node(string name, string pool = "workers", string zone = "eu-west-1a", params ConditionSnapshot[] conditions) =>
        new(name, ImmutableDictionary<string, string>.Empty
            .Add("eks.amazonaws.com/nodegroup", pool)
            .Add("topology.kubernetes.io/zone", zone), [.. conditions]);

    /// <summary>Healthy nodes node-0 … node-(count-1) of one pool and zone.</summary>
    public static IEnumerable<NodeSnapshot> Healthy(int count, string pool = "workers", string zone = "eu-west-1a", string prefix = "node") =>
        Enumerable.Range(0, count).Select(i => Node($"{prefix}-{i}", pool, zone, True("KernelReady"), True("Ready")));

    public static FleetSnapshot FleetOf(params IEnumerable<NodeSnapshot>[] groups) => new([.. groups.SelectMany(g => g)]);
}

using System.Collections.Immutable;

namespace NodeHealth.Actors.Simulation;

/// <summary>The synthetic fleet: each pool's nodes round-robin over its zones, labelled as Karpenter and Kubernetes label them.</summary>
internal static class FleetLayout
{
    public const string PoolLabel = "karpenter.sh/nodepool";
    public const string ZoneLabel = "topology.kubernetes.io/zone";
    public const string AcceleratorLabel = "node-health.io/accelerator";

    /// <summary>The slots, and the labels of each group (a pool's zone) that <see cref="SimulatedNode.Group"/> indexes.</summary>
    public static (SimulatedNode[] Nodes, ImmutableArray<ImmutableDictionary<string, string>> Groups) Build(Scenario scenario)
    {
        var nodes = new List<SimulatedNode>(scenario.NodeCount);
        var groups = new List<ImmutableDictionary<string, string>>();
        foreach (var pool in scenario.Pools)
        {
            var labels = pool.Zones.ToDictionary(zone => zone, zone =>
            {
                var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
                builder[PoolLabel] = pool.Name;
                builder[ZoneLabel] = zone;
                if (pool.Accelerator.Length > 0)
                    builder[AcceleratorLabel] = pool.Accelerator;
                return builder.ToImmutable();
            }, StringComparer.Ordinal);
            groups.AddRange(pool.Zones.Select(zone => labels[zone]));
            for (var i = 0; i < pool.Nodes; i++)
            {
                var index = nodes.Count;
                var zone = pool.Zones[i % pool.Zones.Length];
                var lemon = scenario.Lemons.Fraction > 0 && SimRandom.For(scenario.Seed, Streams.Lemons, (ulong)index).NextDouble() < scenario.Lemons.Fraction;
                nodes.Add(new SimulatedNode(index, i, groups.IndexOf(labels[zone]), pool, zone, labels[zone], lemon));
            }
        }

        return ([.. nodes], [.. groups]);
    }
}

/// <summary>The purposes the simulator draws random numbers for, each its own stream per thing.</summary>
internal static class Streams
{
    public const ulong Arrivals = 1;
    public const ulong Joins = 2;
    public const ulong Events = 3;
    public const ulong Lemons = 4;
}

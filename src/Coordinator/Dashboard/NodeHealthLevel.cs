using NodeHealth.Coordinator.Api;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>A node's worst condition, the colour of its tile: any False beats Unknown beats True; no condition yet is None.</summary>
public enum NodeHealthLevel
{
    None = 0,
    True = 1,
    Unknown = 2,
    False = 3,
}

public static class NodeHealthLevels
{
    public static NodeHealthLevel Worst(IEnumerable<ConditionView> conditions) =>
        conditions.Select(c => c.Status switch
        {
            "False" => NodeHealthLevel.False,
            "Unknown" => NodeHealthLevel.Unknown,
            "True" => NodeHealthLevel.True,
            _ => NodeHealthLevel.Unknown,
        }).DefaultIfEmpty(NodeHealthLevel.None).Max();

    /// <summary>The words next to the colour, so the tile never speaks by colour alone.</summary>
    public static string Words(this NodeHealthLevel level) => level switch
    {
        NodeHealthLevel.False => "unhealthy",
        NodeHealthLevel.Unknown => "unknown",
        NodeHealthLevel.True => "healthy",
        _ => "no conditions yet",
    };
}

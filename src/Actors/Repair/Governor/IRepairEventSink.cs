using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Repair.Governor;

/// <summary>
/// Where the governor tells what it just recorded about a node (a decision, a repair's start, step or end), to be
/// shown on the Node (Kubernetes Events), and what it recorded about a zone or the whole fleet (a storm breaker's trip
/// or close, the operator's pause or resume). Called once per live event, never on replay; must not block.
/// </summary>
public interface IRepairEventSink
{
    void Record(string node, IRepairGovernorEvent recorded);

    /// <summary>A record about a zone or the fleet, with the unhealthy nodes whose repairs it holds or releases (maybe none).</summary>
    void RecordConcerning(IReadOnlyList<string> nodes, IRepairGovernorEvent recorded);
}

/// <summary>Every sink registered (Kubernetes Events, the live feed), told in turn.</summary>
public sealed class RepairEventSinks(IReadOnlyList<IRepairEventSink> sinks) : IRepairEventSink
{
    /// <summary>Null when there is none, the sink itself when there is one.</summary>
    public static IRepairEventSink? Of(IEnumerable<IRepairEventSink>? sinks) => sinks?.ToList() switch
    {
        null or [] => null,
        [var one] => one,
        var all => new RepairEventSinks(all),
    };

    public void Record(string node, IRepairGovernorEvent recorded)
    {
        foreach (var sink in sinks)
            sink.Record(node, recorded);
    }

    public void RecordConcerning(IReadOnlyList<string> nodes, IRepairGovernorEvent recorded)
    {
        foreach (var sink in sinks)
            sink.RecordConcerning(nodes, recorded);
    }
}

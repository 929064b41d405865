using System.Diagnostics.Metrics;
using NodeHealth.Actors.Agent.Uplink;

namespace NodeHealth.Actors.Metrics;

/// <summary>
/// The agent's counters: lines read and classified per log source (kmsg, journal-kubelet, file-messages: bounded by
/// the configuration), the spool's depth, reconnects. Counted per batch, never per line: the classify budget (DESIGN §8) stays.
/// </summary>
public static class AgentMetrics
{
    private static readonly Meter Meter = new(MeterNames.Agent);

    private static readonly Counter<long> LinesRead = Meter.CreateCounter<long>("node_health.agent.log.lines_read", "{line}",
        "Log lines the agent read, per source");

    private static readonly Counter<long> LinesClassified = Meter.CreateCounter<long>("node_health.agent.log.lines_classified", "{line}",
        "Log lines a catalog rule matched (turned into findings), per source");

    private static readonly Counter<long> Reconnects = Meter.CreateCounter<long>("node_health.agent.reconnects", "{reconnect}",
        "Times the agent lost its stream to the coordinator and connected again");

    private static FindingSpool? _spool;

    static AgentMetrics()
    {
        Meter.CreateObservableGauge("node_health.agent.spool.findings", () => Volatile.Read(ref _spool)?.Pending.Count ?? 0, "{finding}",
            "Findings in the agent's spool not yet acknowledged by the coordinator");
        Meter.CreateObservableCounter("node_health.agent.spool.dropped", () => Volatile.Read(ref _spool)?.Dropped ?? 0, "{finding}",
            "Findings the full spool dropped (oldest first) before they were acknowledged");
    }

    public static void Read(string source, int lines)
    {
        if (lines > 0)
            LinesRead.Add(lines, new KeyValuePair<string, object?>("source", source));
    }

    public static void Classified(string source, int lines)
    {
        if (lines > 0)
            LinesClassified.Add(lines, new KeyValuePair<string, object?>("source", source));
    }

    public static void Reconnected() => Reconnects.Add(1);

    /// <summary>The spool the uplink opened; its depth is read when scraped (one int, read across threads: a scrape may be one batch behind).</summary>
    public static void Watch(FindingSpool spool) => Volatile.Write(ref _spool, spool);
}

using System.Diagnostics.Metrics;
using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Metrics;

/// <summary>
/// The repair governor's counters and gauges. The governor is a cluster singleton: its coordinator counts repairs as
/// they start and end and publishes the governor's state; the one it leaves clears it, so only one coordinator exports
/// the gauges at a time (aggregate with max or sum alike).
/// </summary>
public static class RepairMetrics
{
    public const string InFlight = "node_health.repair.in_flight";
    public const string Decisions = "node_health.repair.decisions";
    public const string Paused = "node_health.repair.paused";
    public const string ZoneBreaker = "node_health.repair.zone_breaker_tripped";
    public const string Blocked = "node_health.repair.blocked";
    public const string PoolNodes = "node_health.repair.pool.nodes";
    public const string PoolUnhealthy = "node_health.repair.pool.unhealthy_nodes";
    public const string PoolParallelLimit = "node_health.repair.pool.parallel_limit";
    public const string FleetParallelLimit = "node_health.repair.fleet.parallel_limit";

    private static readonly Meter Meter = new(MeterNames.Repair);

    private static readonly Counter<long> Started = Meter.CreateCounter<long>("node_health.repairs.started", "{repair}",
        "Repairs the governor started, by action");

    private static readonly Counter<long> Ended = Meter.CreateCounter<long>("node_health.repairs", "{repair}",
        "Repairs that ended, by action and outcome (Succeeded, Failed, Cancelled)");

    private static object? _publisher;
    private static IReadOnlyList<(Measured Labels, DateTime DueAt)> _overdue = [];
    private static TimeProvider _clock = TimeProvider.System;

    public static GaugeBoard Board { get; } = new(InFlight, Decisions, PoolNodes, PoolUnhealthy, PoolParallelLimit);

    static RepairMetrics()
    {
        Gauge(InFlight, "{repair}", "Repairs running now, by pool (budget use; the pool's limit is node_health_repair_pool_parallel_limit)");
        Gauge(Decisions, "{node}", "Nodes by the verdict of their latest repair decision (Start, Wait, Deny, NoAction, InFlight)");
        Gauge(Paused, null, "1 while an operator has paused repair");
        Gauge(ZoneBreaker, null, "1 while a zone's storm breaker is tripped (new repairs in the zone wait), by zone");
        // Per node by nature, and only nodes whose due repair is denied: bounded by the unhealthy nodes.
        Meter.CreateObservableGauge(Blocked, BlockedNow, "s", "Seconds since a node's repair came due (unhealthy longer than its repair wait) while repair is denied, by node, condition and denial");
        Gauge(PoolNodes, "{node}", "Nodes of a pool as the latest decision in it counted them");
        Gauge(PoolUnhealthy, "{node}", "Unhealthy nodes of a pool as the latest decision in it counted them");
        Gauge(PoolParallelLimit, "{repair}", "How many repairs may run at once in a pool");
        Gauge(FleetParallelLimit, "{repair}", "How many repairs may run at once in the fleet");
    }

    private static void Gauge(string name, string? unit, string description) =>
        Meter.CreateObservableGauge(name, () => Board.Measurements(name), unit, description);

    /// <summary>A persisted governor event: counts starts and ends and publishes the state it led to.</summary>
    public static void Recorded(IRepairGovernorEvent e, GovernorState state, RepairGovernorSettings settings)
    {
        switch (e)
        {
            case RepairStarted started:
                Started.Add(1, new KeyValuePair<string, object?>("action", started.Action.ToString()));
                break;
            case RepairEnded ended when state.Runs.GetValueOrDefault(ended.RepairId) is { } run:
                Ended.Add(1, new("action", run.Started.Action.ToString()), new("outcome", ended.Outcome));
                break;
        }

        Publish(state, settings);
    }

    /// <summary>The governor's state now (after recovery, after each persisted event), measured at its clock's now.</summary>
    public static void Publish(GovernorState state, RepairGovernorSettings settings)
    {
        _publisher = settings;
        _clock = settings.Clock;
        Board.Publish(RepairGauges.Measure(state, settings.Policies.Current));
        Volatile.Write(ref _overdue, RepairGauges.Overdue(state));
    }

    /// <summary>The governor stopped on this coordinator (it moved, or the coordinator is leaving): its gauges go with it.</summary>
    public static void Forget(RepairGovernorSettings settings)
    {
        if (ReferenceEquals(Interlocked.CompareExchange(ref _publisher, null, settings), settings))
        {
            Board.Clear();
            Volatile.Write(ref _overdue, Array.Empty<(Measured, DateTime)>());
        }
    }

    /// <summary>Overdue time grows between the governor's events: measured when scraped.</summary>
    private static IEnumerable<Measurement<double>> BlockedNow()
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return Volatile.Read(ref _overdue).Select(o => new Measurement<double>(Math.Max(0, (now - o.DueAt).TotalSeconds), o.Labels.Labels));
    }
}

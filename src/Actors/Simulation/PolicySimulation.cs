using System.Collections.Immutable;
using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Simulation;

/// <summary>
/// One policy on one scenario, on virtual time (discrete events). Faults, repairs' steps and correlated events happen
/// at their own instants; the decision rounds run on the governor's cadence (<see cref="Scenario.DecideEvery"/>) and
/// call the real <see cref="RepairDecider.Decide"/>, the real ledger (<see cref="RepairLedgerMachine"/>) and the real
/// verification, as the governor does. A round is skipped only when nothing it reads changed and no time it waits for
/// has come (every Wait and Deny names its NotBefore), so its decisions would equal the last round's.
/// </summary>
public sealed partial class PolicySimulation
{
    private readonly Scenario _scenario;
    private readonly RepairPolicy _policy;
    private readonly string _name;
    private readonly ReasonCatalog _catalog;
    private readonly SimulatedNode[] _nodes;
    private readonly ImmutableArray<ImmutableDictionary<string, string>> _groups;
    private readonly int[] _unlisted;
    private readonly SortedSet<int> _listed = [];
    private readonly byte[] _category;
    private const byte Unlisted = 0, Listed = 1, Absent = 2;
    private readonly bool[] _serving;
    private readonly PriorityQueue<SimEvent, (long, long)> _queue = new();
    private readonly FleetMeter _meter;
    private readonly InvariantChecker _invariants;
    private readonly FaultArrivals _arrivals;
    private readonly long _everyTicks;
    private readonly HashSet<(string, DateTimeOffset, Denial)> _blocked = [];
    private readonly HashSet<(string, DateTimeOffset)> _blockedEpisodes = [];
    private readonly Dictionary<string, int> _byAction = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private RepairLedger _ledger = RepairLedger.Empty;
    private DateTimeOffset _now;
    private DateTimeOffset _wake = DateTimeOffset.MaxValue;
    private long _sequence;
    private long _faultIds;
    private long _rounds;
    private long _evaluations;
    private int _faults;
    private int _started;
    private int _unnecessary;
    private int _trips;

    public PolicySimulation(Scenario scenario, PolicyUnderTest policy, ReasonCatalog catalog)
    {
        _scenario = scenario;
        _policy = policy.Policy;
        _name = policy.Name;
        _catalog = catalog;
        _now = scenario.Start;
        _everyTicks = scenario.DecideEvery.Ticks;
        (_nodes, _groups) = FleetLayout.Build(scenario);
        _unlisted = new int[_groups.Length];
        _category = new byte[_nodes.Length];
        foreach (var node in _nodes)
            _unlisted[node.Group]++;
        _serving = [.. _nodes.Select(_ => true)];
        _meter = new FleetMeter(scenario.Start, scenario.Length, _nodes.Length);
        _invariants = new InvariantChecker(_policy);
        _arrivals = new FaultArrivals(scenario);
        foreach (var node in _nodes)
            Schedule(_arrivals.First(node), SimEventKind.FaultArrives, node.Index);
        for (var i = 0; i < scenario.Events.Length; i++)
            Schedule(scenario.Start + scenario.Events[i].At, SimEventKind.EventStarts, -1, i);

        for (var day = 1; day < scenario.Length.TotalDays; day++)
            Schedule(scenario.Start + TimeSpan.FromDays(day), SimEventKind.Housekeeping, -1);
    }

    /// <summary>Runs to the scenario's end; <paramref name="progress"/> hears the share done at the start (0), every 4,096 steps and at the end (1).</summary>
    public PolicyResult Run(Action<double>? progress = null, CancellationToken cancel = default)
    {
        var end = _scenario.End;
        var steps = 0L;
        progress?.Invoke(0);
        while (true)
        {
            var eventAt = _queue.TryPeek(out _, out var key) ? new DateTimeOffset(key.Item1, TimeSpan.Zero) : DateTimeOffset.MaxValue;
            var next = eventAt <= _wake ? eventAt : _wake;
            if (next >= end)
                break;
            _meter.Advance(next);
            _now = next;
            if (eventAt <= _wake)
                Handle(_queue.Dequeue());
            else
            {
                _wake = DateTimeOffset.MaxValue;
                Round();
            }

            if (++steps % 4096 == 0)
            {
                cancel.ThrowIfCancellationRequested();
                progress?.Invoke((_now - _scenario.Start) / _scenario.Length);
            }
        }

        _meter.Advance(end);
        progress?.Invoke(1);
        return Result();
    }

    private void Schedule(DateTimeOffset at, SimEventKind kind, int node, long argument = 0, object? subject = null)
    {
        if (at < _scenario.End)
            _queue.Enqueue(new SimEvent(kind, node, argument, subject), (at.UtcTicks, _sequence++));
    }

    /// <summary>Something the decider reads changed: decide at the next round of the cadence (at once when one is due now).</summary>
    private void Dirty() => WakeAt(_now);

    private void WakeAt(DateTimeOffset at)
    {
        var offset = (at - _scenario.Start).Ticks;
        var aligned = _scenario.Start + TimeSpan.FromTicks((offset + _everyTicks - 1) / _everyTicks * _everyTicks);
        if (aligned < _wake)
            _wake = aligned;
    }

    /// <summary>After any change to a slot: count it in or out of service.</summary>
    private void Touch(SimulatedNode node)
    {
        var category = !node.Present ? Absent : node.Listed ? Listed : Unlisted;
        var was = _category[node.Index];
        if (category != was)
        {
            _category[node.Index] = category;
            if (was == Unlisted)
                _unlisted[node.Group]--;
            else if (was == Listed)
                _listed.Remove(node.Index);
            if (category == Unlisted)
                _unlisted[node.Group]++;
            else if (category == Listed)
                _listed.Add(node.Index);
        }

        var serving = node.Healthy;
        if (serving == _serving[node.Index])
            return;
        _serving[node.Index] = serving;
        _meter.Changed(node, serving, _now);
    }

    private PolicyResult Result()
    {
        var hours = _scenario.Length.TotalHours * _nodes.Length;
        var blockedBy = _blocked.GroupBy(b => b.Item3.ToString()).ToImmutableSortedDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new PolicyResult(_name, _policy.Origin, _policy.Mode.ToString(), FleetMeter.Round(_meter.ServingNodeHours / hours), FleetMeter.Round(hours),
            FleetMeter.Round(_meter.ServingNodeHours), FleetMeter.Round(_meter.AcceleratorHoursLost), _meter.MinServing, _faults, _started,
            _byAction.ToImmutableSortedDictionary(StringComparer.Ordinal), _outcomes.ToImmutableSortedDictionary(StringComparer.Ordinal), _unnecessary,
            _blockedEpisodes.Count, blockedBy, _trips, _meter.TimeToRepair(), _meter.SelfCleared, _invariants.Counters(), _rounds, _evaluations,
            _meter.BucketHours, _meter.Capacity());
    }
}

internal enum SimEventKind
{
    FaultArrives = 0,
    FaultClears = 1,
    DrainDone = 2,
    ActionDone = 3,
    NodeJoins = 4,
    ManualUncordon = 5,
    EventStarts = 6,
    FlapOn = 8,
    FlapOff = 9,
    Housekeeping = 10,
    Approval = 11,
}

/// <summary>One thing that happens at an instant: to a slot (<see cref="Node"/>), or to the fleet (-1).</summary>
internal sealed record SimEvent(SimEventKind Kind, int Node, long Argument, object? Subject);

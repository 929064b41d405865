using System.Collections.Immutable;
using NodeHealth.Actors.Repair;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Simulation;

/// <summary>A fault present on a machine: where it shows, since when, and whether and when it ends by itself.</summary>
internal sealed record ActiveFault(long Id, string Source, string Condition, ConditionStatus Status, string Reason, DateTimeOffset Since,
    DateTimeOffset? ClearsAt, bool RebootFixes);

/// <summary>The phase of a repair in the simulation; the governor's steps (cordon, drain, action, verify) on virtual time.</summary>
internal enum RepairPhase
{
    Draining = 0,
    Acting = 1,
    Verifying = 2,
}

/// <summary>A repair the ledger granted, as the simulated executors carry it out.</summary>
internal sealed class SimulatedRepair(string id, RepairAction action, string condition, DateTimeOffset startedAt)
{
    public string Id { get; } = id;
    public RepairAction Action { get; } = action;
    public string Condition { get; } = condition;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public RepairPhase Phase { get; set; } = RepairPhase.Draining;
    public DateTimeOffset ActedAt { get; set; }
}

/// <summary>
/// One place in the fleet (a slot): the machine in it now (its name changes with each replacement), its faults, the
/// conditions it publishes, its repair, and whether it serves (healthy: present, no condition unhealthy, not cordoned).
/// </summary>
internal sealed class SimulatedNode(int index, int number, int group, PoolSpec pool, string zone, ImmutableDictionary<string, string> labels, bool lemon)
{
    private readonly Dictionary<string, DateTimeOffset> _trueSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _falseSince = new(StringComparer.Ordinal);
    private NodeSnapshot? _snapshot;

    public int Index { get; } = index;
    public PoolSpec Pool { get; } = pool;
    public string Zone { get; } = zone;
    public ImmutableDictionary<string, string> Labels { get; } = labels;
    public int Generation { get; private set; }
    public int Number { get; } = number;

    /// <summary>Its pool and zone (nodes with the same labels): healthy ones are handed to the decider as counts per group.</summary>
    public int Group { get; } = group;
    public string Name { get; private set; } = $"{pool.Name}-{number:D5}";
    public bool Lemon { get; private set; } = lemon;
    public bool Present { get; private set; } = true;
    public bool Cordoned { get; set; }
    public List<ActiveFault> Faults { get; } = [];
    public SimulatedRepair? Repair { get; set; }

    /// <summary>When the slot stopped serving (null while it serves), and whether a repair was granted since.</summary>
    public DateTimeOffset? DownSince { get; set; }
    public bool RepairedWhileDown { get; set; }

    public bool Healthy => Present && !Cordoned && Repair is null && Faults.Count == 0;

    /// <summary>Whether the decider must see it by name: a condition not True, a True one a repair verifies, or a repair.</summary>
    public bool Listed => Present && (Faults.Count > 0 || Repair is not null || _trueSince.Count > 0);

    /// <summary>A fault appears; a condition that was True turns unhealthy now (that is its lastTransitionTime).</summary>
    public void AddFault(ActiveFault fault)
    {
        _falseSince.TryAdd(fault.Condition, fault.Since);
        _trueSince.Remove(fault.Condition);
        Faults.Add(fault);
        _snapshot = null;
    }

    /// <summary>
    /// A fault ends; when it was the condition's last, the condition turns True at <paramref name="at"/> and the next
    /// fault starts a new wait. The True condition stays visible only while a repair needs to verify it.
    /// </summary>
    public bool RemoveFault(long id, DateTimeOffset at)
    {
        var index = Faults.FindIndex(f => f.Id == id);
        if (index < 0)
            return false;
        var condition = Faults[index].Condition;
        Faults.RemoveAt(index);
        if (!Faults.Exists(f => f.Condition == condition))
        {
            _falseSince.Remove(condition);
            if (Repair is not null)
                _trueSince[condition] = at;
        }

        _snapshot = null;
        return true;
    }

    /// <summary>The machine leaves the fleet (its Node object is deleted for a replacement).</summary>
    public void Leave()
    {
        Present = false;
        Faults.Clear();
        _trueSince.Clear();
        _falseSince.Clear();
        _snapshot = null;
    }

    /// <summary>A new machine joins in this slot: a new name, no faults, never a lemon.</summary>
    public void Join()
    {
        Generation++;
        Name = $"{Pool.Name}-{Number:D5}-r{Generation}";
        Lemon = false;
        Present = true;
        Cordoned = false;
        _snapshot = null;
    }

    /// <summary>The node as Kubernetes would show it to the decider; cached until something about it changes.</summary>
    public NodeSnapshot Snapshot()
    {
        if (_snapshot is not null)
            return _snapshot;
        var conditions = ImmutableArray.CreateBuilder<ConditionSnapshot>();
        foreach (var group in Faults.GroupBy(f => f.Condition, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(f => f.Since).ThenBy(f => f.Id).ToList();
            var status = ordered.Any(f => f.Status == ConditionStatus.False) ? ConditionStatus.False : ConditionStatus.Unknown;
            conditions.Add(new ConditionSnapshot(group.Key, status, ordered[0].Reason, _falseSince[group.Key])
            {
                ActiveReasons = [.. ordered.Select(f => f.Reason).Distinct(StringComparer.Ordinal)],
            });
        }

        foreach (var (condition, since) in _trueSince.OrderBy(t => t.Key, StringComparer.Ordinal))
            if (!Faults.Any(f => f.Condition == condition))
                conditions.Add(new ConditionSnapshot(condition, ConditionStatus.True, "", since));
        _snapshot = new NodeSnapshot(Name, Labels, conditions.ToImmutable());
        return _snapshot;
    }

    /// <summary>Forgets True conditions once no repair needs to see them (keeps snapshots of healthy nodes empty).</summary>
    public void ForgetRecoveries()
    {
        if (_trueSince.Count == 0)
            return;
        _trueSince.Clear();
        _snapshot = null;
    }
}

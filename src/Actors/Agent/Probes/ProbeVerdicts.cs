using NodeHealth.Actors.Detection.Accelerators;
using NodeHealth.Contracts;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Agent.Probes;

/// <summary>What changed with one poll: findings to raise and probe-backed faults whose check passes again.</summary>
public sealed record ProbeChanges(IReadOnlyList<FindingDraft> Raised, IReadOnlyList<RecoveryDraft> Recovered)
{
    public bool IsEmpty => Raised.Count == 0 && Recovered.Count == 0;
}

/// <summary>
/// One probe's memory between polls, pure: a (reason, entity) is raised once it fails on the rule's
/// `occurrences` polls within its `window` (a passing poll starts the count afresh; window 0: no limit),
/// and stays raised, without repeats, until a poll sees it pass; then a reason with recovery probe
/// recovers once none of its entities is raised any more at the catalog's severity (an entity a probe
/// reports milder, such as a read-only data disk, holds no fault and so keeps none from clearing).
/// The first poll also recovers every probe-backed reason it sees passing: a fault raised before an
/// agent restart must not outlive its cause (the coordinator ignores a recovery of a reason not active).
/// A probe may report concrete reasons of a family (DCGMHealthCode4 of DCGMHealthCode{code}); each is judged by its
/// own rule. The first poll cannot name the concrete reasons of an open family raised before the restart, so it sends
/// one family recovery (the template) listing the family's reasons failing now; the coordinator clears the rest.
/// A poll that is not complete (the tool did not answer) raises what it reports but recovers nothing, and the
/// start-up recoveries wait for the first complete poll.
/// </summary>
public sealed class ProbeVerdicts(string probe, IEnumerable<ReasonRule> rules)
{
    private readonly Dictionary<string, ReasonRule> _rules = rules.ToDictionary(r => r.Reason, StringComparer.Ordinal);
    private readonly Dictionary<string, ReasonRule> _concrete = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Reason, string? Entity), Failing> _failing = [];
    private bool _polledBefore;

    public string Source { get; } = Probes.SourceName(probe);

    public IReadOnlyCollection<ReasonRule> Rules => _rules.Values;

    public ProbeChanges Observe(IReadOnlyList<ProbeFailure> failing, DateTime at, bool complete = true)
    {
        var raised = new List<FindingDraft>();
        var seen = new HashSet<(string, string?)>();
        foreach (var failure in failing)
        {
            // A GPU is one key whether or not its name carries its UUID yet (GpuIdentities.KeyOf).
            var key = (failure.Reason, GpuIdentities.KeyOf(failure.Entity));
            if (RuleOf(failure.Reason) is not { } rule || !seen.Add(key))
                continue; // A reason the catalog disables, or the same failure twice in one poll.
            if (!_failing.TryGetValue(key, out var state))
                _failing[key] = state = new Failing();
            state.Entity = failure.Entity;
            state.Severity = failure.Severity is { } milder && milder > Severity.Unknown && milder < rule.Severity ? milder : rule.Severity;
            if (state.Raised)
                continue;
            state.Polls.Enqueue(at);
            while (rule.Threshold.Window > TimeSpan.Zero && at - state.Polls.Peek() > rule.Threshold.Window)
                state.Polls.Dequeue();
            if (state.Polls.Count < Math.Max(1, rule.Threshold.Count))
                continue;
            state.Raised = true;
            // Only a Fatal finding carries a recovery mode (a milder one holds no fault to recover).
            var holds = state.Severity == Severity.Fatal;
            raised.Add(new FindingDraft(rule.Condition, failure.Reason, state.Severity, failure.Message, at, Source, failure.Entity,
                holds ? rule.Recovery : RecoveryMode.None, holds ? rule.QuietFor : TimeSpan.Zero));
        }

        var passed = complete ? _failing.Where(f => !seen.Contains(f.Key)).ToList() : [];
        var recovered = new List<RecoveryDraft>();
        foreach (var milder in raised.Where(r => r.Severity < RuleOf(r.Reason)!.Severity).GroupBy(r => r.Reason))
        {
            // Another source may have raised the reason at the catalog's severity for this same entity (the kernel
            // line of a read-only data disk): the probe knows it is milder, so the fault it would hold is cleared.
            var rule = RuleOf(milder.Key)!;
            if (rule.Recovery == RecoveryMode.Probe && !_failing.Any(f => f.Key.Reason == milder.Key && f.Value.Severity == rule.Severity))
                recovered.Add(new RecoveryDraft(rule.Condition, milder.Key, null, probe,
                    $"only {string.Join(", ", milder.Select(r => r.Entity).Order(StringComparer.Ordinal))} fails, at {milder.First().Severity}", at));
        }
        foreach (var (key, state) in passed)
            _failing.Remove(key);
        foreach (var group in passed.Where(p => p.Value.Raised).GroupBy(p => p.Key.Reason))
        {
            var rule = RuleOf(group.Key)!;
            if (rule.Recovery != RecoveryMode.Probe || _failing.Any(f => f.Key.Reason == group.Key && f.Value.Raised && f.Value.Severity == rule.Severity))
                continue;
            var entities = group.Select(p => p.Value.Entity).Where(e => e is not null).Order(StringComparer.Ordinal).ToList();
            recovered.Add(new RecoveryDraft(rule.Condition, group.Key, entities.Count > 0 ? string.Join(",", entities) : null, probe,
                entities.Count > 0 ? $"{string.Join(", ", entities)} passed again" : "passed again", at));
        }

        if (!_polledBefore && complete)
        {
            _polledBefore = true;
            // A family recovers the values it lists; an open family's other values cannot be named, so the family recovers as a whole.
            var reasons = _rules.Values.SelectMany(r => r.IsTemplate ? r.Family!.Values.Keys.Select(v => r.Family.Concrete(r, v)) : [r]);
            foreach (var rule in reasons.DistinctBy(r => r.Reason).Where(r => r.Recovery == RecoveryMode.Probe && !HeldFailing(r.Reason)))
                recovered.Add(new RecoveryDraft(rule.Condition, rule.Reason, null, probe, "passed when the agent started", at));
            foreach (var family in _rules.Values.Where(r => r.IsTemplate && !r.Family!.IsClosed && r.Recovery == RecoveryMode.Probe))
            {
                var still = _failing.Keys.Select(k => k.Reason).Distinct().Where(r => family.Family!.ValueOf(r) is not null && HeldFailing(r)).Order(StringComparer.Ordinal).ToList();
                if (still.Count <= IngestLimits.MaxStillFailing) // More cannot travel; its faults then wait for their own recovery.
                    recovered.Add(new RecoveryDraft(family.Condition, family.Reason, null, probe, "passed when the agent started", at) { StillFailing = [.. still] });
            }
        }

        return new ProbeChanges(raised, recovered);
    }

    /// <summary>Whether the reason fails now on some entity at its catalog severity (so it holds, or will hold, its fault).</summary>
    private bool HeldFailing(string reason) =>
        RuleOf(reason) is { } rule && _failing.Any(f => f.Key.Reason == reason && f.Value.Severity == rule.Severity);

    /// <summary>The rule a reason the probe reports means: its own, or its family's rule for that value; null when the catalog has neither.</summary>
    private ReasonRule? RuleOf(string reason)
    {
        if (_rules.TryGetValue(reason, out var rule) && !rule.IsTemplate)
            return rule;
        if (_concrete.TryGetValue(reason, out rule))
            return rule;
        foreach (var family in _rules.Values.Where(r => r.IsTemplate))
        {
            if (family.Family!.Resolve(family, reason) is not { } concrete)
                continue;
            if (_concrete.Count < 1024) // Values come from a tool's output: keep the memory bounded.
                _concrete[reason] = concrete;
            return concrete;
        }

        return null;
    }

    private sealed class Failing
    {
        public Queue<DateTime> Polls { get; } = new();
        public bool Raised { get; set; }

        /// <summary>The entity as the probe last named it (a GPU's name gains its UUID once known; its key does not change).</summary>
        public string? Entity { get; set; }

        /// <summary>What it means now: the catalog's severity, or the probe's milder one; only entities at the catalog's hold its fault.</summary>
        public Severity Severity { get; set; }
    }
}

using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Health;

/// <summary>Probe recovery: a probe-backed fault clears when the probe that raised it sees its check pass again.</summary>
public static partial class NodeHealthMachine
{
    /// <summary>
    /// Findings and probe recoveries of one agent run, in sequence order: a recovery judges the state the
    /// findings before it left, and a finding after it raises the fault again. Duplicates by (run, sequence) drop.
    /// </summary>
    public static (BatchAck Reply, ImmutableArray<INodeHealthEvent> Events) DecideDelivery(
        this NodeHealthState state, RecordFindings command, ReasonCatalog catalog, DateTime now)
    {
        var recoveries = command.Recoveries.OrEmpty();
        if (recoveries.IsEmpty)
        {
            var (ack, recorded) = state.Decide(command, catalog, now);
            return (ack, recorded is null ? [] : [recorded]);
        }

        var highest = state.DeliveryMarks.OrEmpty().FirstOrDefault(m => m.AgentBootId == command.AgentBootId)?.HighestSequence ?? 0;
        var events = ImmutableArray.CreateBuilder<INodeHealthEvent>();
        var findings = new List<Finding>();
        var (accepted, duplicates) = (0, 0);
        var ordered = command.Findings.OrEmpty().Select(f => (f.Sequence, Finding: (Finding?)f, Recovery: (ProbeRecovery?)null))
            .Concat(recoveries.Select(r => (r.Sequence, Finding: (Finding?)null, Recovery: (ProbeRecovery?)r)))
            .OrderBy(item => item.Sequence);
        foreach (var (sequence, finding, recovery) in ordered)
        {
            if (sequence <= highest)
            {
                duplicates++;
                continue;
            }

            highest = sequence;
            accepted++;
            if (finding is not null)
            {
                findings.Add(finding);
                continue;
            }

            RecordFindingsSoFar();
            if (state.Decide(recovery!, catalog, now) is { } cleared)
            {
                events.Add(cleared);
                state = state.Apply(cleared);
            }
        }

        RecordFindingsSoFar();
        return (new BatchAck(command.AgentBootId, highest, accepted, duplicates), events.ToImmutable());

        void RecordFindingsSoFar()
        {
            if (findings.Count == 0)
                return;
            var (_, recorded) = state.Decide(command with { Findings = [.. findings], Recoveries = [] }, catalog, now);
            findings.Clear();
            if (recorded is null)
                return;
            events.Add(recorded);
            state = state.Apply(recorded);
        }
    }

    /// <summary>
    /// Clears the faults the recovery speaks for (see <see cref="Covers"/>) that are active with recovery probe and
    /// had no finding observed after the check passed (a recurrence wins); a recovery of anything else changes nothing.
    /// </summary>
    public static FaultsCleared? Decide(this NodeHealthState state, ProbeRecovery recovery, ReasonCatalog catalog, DateTime now)
    {
        var covers = Covers(recovery, catalog);
        var cleared = state.Conditions.OrEmpty().FirstOrDefault(c => c.Type == recovery.Condition)?.ActiveFaults.OrEmpty()
            .Where(f => f.Recovery == RecoveryMode.Probe && covers(f.Reason))
            .Where(f => !state.RecentFindings.OrEmpty().Any(r => r.Condition == recovery.Condition && r.Reason == f.Reason && r.ObservedAt > recovery.ObservedAt))
            .Select(f => new ClearedFault(recovery.Condition, f.Reason))
            .ToImmutableArray() ?? [];
        return cleared.IsEmpty ? null : new FaultsCleared(state.NodeName, now, cleared, $"probe {recovery.Probe}: {recovery.Detail}");
    }

    /// <summary>
    /// The reasons a recovery speaks for: its own; or, for a family recovery (the probe checked the whole family), every
    /// reason of the family except those still failing. Which reasons belong to a family is the coordinator's catalog's
    /// to say; a family it does not define covers nothing.
    /// </summary>
    private static Func<string, bool> Covers(ProbeRecovery recovery, ReasonCatalog catalog)
    {
        if (!FindingValidation.IsFamilyTemplate(recovery.Reason))
            return reason => reason == recovery.Reason;
        if (catalog.Rules.FirstOrDefault(r => r.Condition == recovery.Condition && r.IsTemplate && r.Reason == recovery.Reason)?.Family is not { } family)
            return _ => false;
        var stillFailing = recovery.StillFailing.ToHashSet(StringComparer.Ordinal);
        return reason => !stillFailing.Contains(reason) && catalog.Rule(recovery.Condition, reason)?.Family == family;
    }
}

using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Health;

/// <summary>Adopting what the Node object carried when the coordinator first read it.</summary>
public static partial class NodeHealthMachine
{
    /// <summary>
    /// Once per node: each condition the Node carries False that the entity holds no fault for
    /// becomes a fault with its reason, message and transition time; what the catalog says the
    /// reason means decides how it clears (a reason it does not know clears by an operator).
    /// </summary>
    public static ConditionsAdopted? Decide(this NodeHealthState state, AdoptConditions command, ReasonCatalog catalog, DateTime now)
    {
        if (state.NodeObjectRead)
            return null;
        var adopted = command.Conditions.OrEmpty()
            .Where(c => ConditionTypes.IsDefined(c.Condition) && c.Reason.Length > 0)
            .Where(c => state.Conditions.OrEmpty().FirstOrDefault(s => s.Type == c.Condition) is not { ActiveFaults.IsDefaultOrEmpty: false })
            .GroupBy(c => c.Condition).Select(g => g.First())
            .Select(c => catalog.Rule(c.Condition, c.Reason) is { } rule
                ? c with { Recovery = rule.Recovery, QuietFor = rule.QuietFor, Repair = rule.Repair }
                : c with { Recovery = RecoveryMode.Manual, QuietFor = TimeSpan.Zero, Repair = RepairAction.None });
        return new ConditionsAdopted(state.NodeName, now, [.. adopted]);
    }

    /// <summary>
    /// The adopted condition is False since its transition time, so recomputing keeps that time. A quiet
    /// fault counts as last seen now: its quiet period starts with the adoption, not with the old transition.
    /// </summary>
    private static NodeHealthState ApplyAdopted(this NodeHealthState state, ConditionsAdopted e)
    {
        var conditions = state.Conditions.OrEmpty().ToDictionary(c => c.Type);
        foreach (var a in e.Conditions.OrEmpty())
        {
            var fault = new ActiveFault(a.Reason, FaultText(a), a.Since, e.RecordedAt, 1, a.Recovery, a.QuietFor, a.Repair);
            conditions[a.Condition] = new ConditionState(a.Condition, ConditionStatus.False, a.Reason, FaultMessage([fault]), a.Since, [fault]);
        }

        return state with
        {
            NodeObjectRead = true,
            Conditions = e.Conditions.OrEmpty().IsEmpty
                ? state.Conditions
                : Conditions([.. conditions.Values.OrderBy(c => c.Type)], state.Monitors.OrEmpty(), state.AgentSilence, e.RecordedAt),
            LastUpdated = state.LastUpdated ?? e.RecordedAt,
        };
    }

    /// <summary>Our condition messages read "&lt;Reason&gt;: &lt;text&gt;": the fault keeps the text, so the condition's message comes out as it was.</summary>
    private static string FaultText(AdoptedCondition a) =>
        a.Message.StartsWith(a.Reason + ": ", StringComparison.Ordinal) ? a.Message[(a.Reason.Length + 2)..] : a.Message;
}

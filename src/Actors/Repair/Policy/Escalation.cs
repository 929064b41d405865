using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Yaml;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Policy;

public enum EscalationRefusal
{
    None = 0,
    AttemptCap = 1,
    Backoff = 2,
}

/// <summary>
/// The ladder's answer for a node with a due fault: the action to take (<see cref="Action"/>, possibly escalated),
/// or a refusal until <see cref="NotBefore"/>. <see cref="Why"/> says what decided, <see cref="Clause"/> which setting.
/// </summary>
public sealed record EscalationStep(RepairAction Action, EscalationRefusal Refusal, DateTimeOffset? NotBefore, string Why, string Clause)
{
    public bool Refused => Refusal != EscalationRefusal.None;
}

/// <summary>The escalation ladder as a pure function of the node's repair history.</summary>
public static class Escalation
{
    /// <summary>
    /// What to do about a due fault of <paramref name="condition"/> (unhealthy since <paramref name="since"/>) whose rule
    /// says <paramref name="wanted"/>, given the node's past repairs. Order: attempt cap, backoff after a failure, then
    /// the ladder (a failed reboot, or a fault that returns within the recurrence window of a reboot, escalates to replace).
    /// </summary>
    public static EscalationStep Next(EscalationPolicy policy, RepairAction wanted, string condition, DateTimeOffset since,
        IEnumerable<RepairRecord> history, DateTimeOffset now)
    {
        var past = history.Where(r => !r.InFlight && r.Outcome != RepairOutcome.Cancelled).OrderBy(r => r.StartedAt).ToList();
        var clause = $"escalation ({policy.Origin})";

        var inWindow = past.Where(r => r.StartedAt > now - policy.AttemptWindow).ToList();
        if (inWindow.Count >= policy.MaxAttemptsPerNode)
            return new EscalationStep(wanted, EscalationRefusal.AttemptCap, inWindow[^policy.MaxAttemptsPerNode].StartedAt + policy.AttemptWindow,
                $"{inWindow.Count} repairs of this node within {Duration.Text(policy.AttemptWindow)} reached the cap of {policy.MaxAttemptsPerNode}; it needs a person", $"{clause}: maxAttemptsPerNode {policy.MaxAttemptsPerNode} per {Duration.Text(policy.AttemptWindow)}");

        var last = past.Count == 0 ? null : past[^1];
        if (last is { Outcome: RepairOutcome.Failed, FinishedAt: { } failedAt })
        {
            var failures = past.AsEnumerable().Reverse().TakeWhile(r => r.Outcome == RepairOutcome.Failed).Count();
            var backoff = Backoff(policy, failures);
            if (now < failedAt + backoff)
                return new EscalationStep(wanted, EscalationRefusal.Backoff, failedAt + backoff,
                    $"the last repair ({last.Action}) failed at {failedAt:u}; {failures} failure(s) in a row back off {Duration.Text(backoff)}", $"{clause}: backoff {Duration.Text(policy.Backoff)} doubling up to {Duration.Text(policy.MaxBackoff)}");
            if (last.Action == RepairAction.Reboot)
                return Step(policy, RepairAction.Replace, $"the reboot at {last.StartedAt:u} did not bring the node back healthy: escalate to Replace", clause);
        }

        if (last is { Outcome: RepairOutcome.Succeeded, Action: RepairAction.Reboot, FinishedAt: { } rebootedAt } && last.Condition == condition
            && since <= rebootedAt + policy.RecurrenceWindow)
            return Step(policy, RepairAction.Replace,
                $"{condition} turned unhealthy again at {since:u}, within {Duration.Text(policy.RecurrenceWindow)} of the reboot that finished at {rebootedAt:u}: escalate to Replace",
                $"{clause}: recurrenceWindow {Duration.Text(policy.RecurrenceWindow)}");

        return Step(policy, wanted, wanted == RepairAction.Reboot ? "reboot first" : $"{wanted} as the rule says", clause);
    }

    /// <summary>The wait after <paramref name="failures"/> consecutive failures: the base doubling each time, capped.</summary>
    public static TimeSpan Backoff(EscalationPolicy policy, int failures)
    {
        var wait = policy.Backoff;
        for (var i = 1; i < failures && wait < policy.MaxBackoff; i++)
            wait += wait;
        return wait < policy.MaxBackoff ? wait : policy.MaxBackoff;
    }

    private static EscalationStep Step(EscalationPolicy policy, RepairAction action, string why, string clause) =>
        action == RepairAction.Reboot && !policy.AllowReboot
            ? new EscalationStep(RepairAction.Replace, EscalationRefusal.None, null, $"{why}; reboots are not allowed, so Replace", $"escalation ({policy.Origin}): allowReboot false")
            : new EscalationStep(action, EscalationRefusal.None, null, why, clause);
}

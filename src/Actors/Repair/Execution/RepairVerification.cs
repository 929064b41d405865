using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Execution;

public enum VerifyVerdict
{
    Verified = 0,
    Waiting = 1,
    TimedOut = 2,
}

public sealed record VerifyResult(VerifyVerdict Verdict, string Detail);

/// <summary>
/// Whether a repair worked, from the fleet as the governor reads it each round. A reboot worked when the repaired
/// condition turned True after the reboot was accepted and none of our conditions is False; a replace worked when the
/// node left the fleet (its Node object deleted). Neither within <paramref name="timeout"/> of the action: it failed.
/// </summary>
public static class RepairVerification
{
    public static VerifyResult Check(RepairAction action, string node, string condition, DateTimeOffset actedAt, FleetSnapshot fleet,
        TimeSpan timeout, DateTimeOffset now)
    {
        var snapshot = fleet.Nodes.IsDefault ? null : fleet.Nodes.FirstOrDefault(n => n.Name == node);
        var deadline = actedAt + timeout;
        if (action == RepairAction.Replace)
        {
            if (snapshot is null)
                return new(VerifyVerdict.Verified, $"{node} left the fleet (its Node object is deleted); its replacement joins as a new node");
            return now >= deadline
                ? new(VerifyVerdict.TimedOut, $"{node} is still in the fleet {Yaml.Duration.Text(timeout)} after it was handed over for replacement")
                : new(VerifyVerdict.Waiting, $"waiting until {deadline:u} for {node} to leave the fleet");
        }

        if (snapshot?.Condition(condition) is { } repaired && repaired.Status == ConditionStatus.True && repaired.LastTransitionTime >= actedAt
            && !snapshot.Conditions.Any(c => RepairConditions.Ours(c.Type) is not null && c.Status == ConditionStatus.False))
            return new(VerifyVerdict.Verified, $"{condition} True since {repaired.LastTransitionTime:u}, after the reboot, and no condition of ours False");
        var state = snapshot is null
            ? "the node is not in the fleet"
            : string.Join(", ", snapshot.Conditions.Where(c => RepairConditions.Ours(c.Type) is not null).Select(c => $"{c.Type} {c.Status} ({c.Reason}) since {c.LastTransitionTime:u}"));
        return now >= deadline
            ? new(VerifyVerdict.TimedOut, $"{node} did not come back healthy within {Yaml.Duration.Text(timeout)} of the reboot: {state}")
            : new(VerifyVerdict.Waiting, $"waiting until {deadline:u} for {condition} to turn True after the reboot: {state}");
    }
}

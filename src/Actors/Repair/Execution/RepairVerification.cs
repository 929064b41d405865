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
/// Whether a repair worked, from the fleet as the governor reads it each round. A reboot worked once the node reports a
/// boot other than <paramref name="bootAtReboot"/> (the one it was on when the reboot was asked: a fault that clears
/// without a reboot proves nothing) with the repaired condition True and none of our conditions False; where that boot is
/// unknown (empty: no source ever reported one, the simulator), the repaired condition must have turned True after the
/// reboot was accepted. A replace worked when the node left the fleet (its Node object deleted). Neither within
/// <paramref name="timeout"/> of the action: it failed.
/// </summary>
public static class RepairVerification
{
    public static VerifyResult Check(RepairAction action, string node, string condition, DateTimeOffset actedAt, string bootAtReboot, FleetSnapshot fleet,
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

        var bootKnown = bootAtReboot.Length > 0;
        var rebooted = bootKnown && snapshot is { BootId.Length: > 0 } && snapshot.BootId != bootAtReboot;
        var healthy = snapshot?.Condition(condition) is { Status: ConditionStatus.True } repaired
            // The new boot proves the reboot; without a known boot, a transition after it is the only sign of one.
            && (rebooted || (!bootKnown && repaired.LastTransitionTime >= actedAt))
            && !snapshot.Conditions.Any(c => RepairConditions.Ours(c.Type) is not null && c.Status == ConditionStatus.False);
        if (healthy)
            return new(VerifyVerdict.Verified, rebooted
                ? $"{node} rebooted (boot {bootAtReboot} → {snapshot!.BootId}), {condition} True since {snapshot.Condition(condition)!.LastTransitionTime:u} and no condition of ours False"
                : $"{condition} True since {snapshot!.Condition(condition)!.LastTransitionTime:u}, after the reboot, and no condition of ours False (the boot the reboot was asked on is unknown)");
        var state = snapshot is null
            ? "the node is not in the fleet"
            : string.Join(", ", snapshot.Conditions.Where(c => RepairConditions.Ours(c.Type) is not null).Select(c => $"{c.Type} {c.Status} ({c.Reason}) since {c.LastTransitionTime:u}"));
        if (snapshot is not null && bootKnown && !rebooted)
            state = $"still on boot {bootAtReboot}, the one the reboot was asked on; {state}";
        return now >= deadline
            ? new(VerifyVerdict.TimedOut, $"{node} did not come back healthy within {Yaml.Duration.Text(timeout)} of the reboot: {state}")
            : new(VerifyVerdict.Waiting, $"waiting until {deadline:u} for {node} to come back on a new boot with {condition} True: {state}");
    }
}

using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Health;

/// <summary>
/// What the node's Kubernetes Node object says (through every coordinator's node informer, and the condition writer's 404):
/// its boot id, a second source for reboot recovery beside the agent's hello, and its deletion, after which the node is
/// forgotten once the history retention has passed. Every decision is idempotent: each coordinator sends the same facts.
/// </summary>
public static partial class NodeHealthMachine
{
    public const int EarlierHostBootIdsKept = 16;
    public const int NodeObjectUidsKept = 8;
    public const string DeletedByInformer = "the node informer saw it deleted";
    public const string DeletedByNotFound = "Kubernetes answered 404 Not Found for it";

    /// <summary>
    /// The kubelet's <c>status.nodeInfo.bootID</c> and the agent's host boot id are the same read of
    /// /proc/sys/kernel/random/boot_id: whichever source brings a new one first records the reboot, the other then
    /// brings nothing new. A boot id seen before is old news (a late informer event) and never undoes a newer one.
    /// A Node object the entity has not seen (by uid) after a deletion, or in place of another, is the Node re-created.
    /// Facts about a node no agent ever reported for are not recorded: the fleet lists the nodes agents report for.
    /// </summary>
    public static ImmutableArray<INodeHealthEvent> Decide(this NodeHealthState state, ObserveNodeObject command, DateTime now)
    {
        if (!state.IsKnown)
            return [];
        var uids = state.NodeObjectUids.OrEmpty();
        var current = uids.IsEmpty ? "" : uids[^1];
        var isNew = command.Uid.Length > 0 && command.Uid != current;
        if (isNew && uids.Contains(command.Uid))
            return []; // An older Node object's late news.
        if (!isNew)
            return state.NodeObjectDeletion is null ? DecideBoot(state, command.BootId, now, ", seen in its Node object") : [];

        var observed = new NodeObjectObserved(state.NodeName, now, command.Uid);
        if (state.NodeObjectDeletion is null && current.Length == 0)
            return [observed, .. DecideBoot(state, command.BootId, now, ", seen in its Node object")];
        if (!IsAnotherBoot(state, command.BootId))
            return [observed]; // The same boot re-registered its Node (a kubelet re-creates a Node deleted under it): the faults still hold.

        var recorded = new HostBootRecorded(state.NodeName, now, command.BootId);
        var faults = ActiveFaults(state, _ => true);
        return faults.IsEmpty
            ? [observed, recorded]
            : [observed, recorded, new FaultsCleared(state.NodeName, now, faults,
                $"the Node object was re-created (uid {command.Uid}) on another boot (boot id {state.HostBootId} → {command.BootId}): a new machine or a new boot, with faults of its own")];
    }

    /// <summary>
    /// The Node is gone: recorded once, whichever coordinator or source says it first. A deletion of an older Node object
    /// (one the entity has seen replaced) is old news. The node is forgotten after the retention in force now.
    /// </summary>
    public static NodeObjectDeleted? Decide(this NodeHealthState state, ReportNodeDeleted command, DateTime now, TimeSpan retention)
    {
        if (!state.IsKnown || state.NodeObjectDeletion is not null)
            return null;
        var uids = state.NodeObjectUids.OrEmpty();
        var current = uids.IsEmpty ? "" : uids[^1];
        if (command.Uid.Length > 0 && command.Uid != current && uids.Contains(command.Uid))
            return null;
        return new NodeObjectDeleted(state.NodeName, now, command.Uid.Length > 0 ? command.Uid : current, now + retention, command.Cause);
    }

    /// <summary>Still deleted when the retention has passed: the node is forgotten.</summary>
    public static NodeForgotten? DecideForget(this NodeHealthState state, DateTime now) =>
        state.NodeObjectDeletion is { } deletion && now >= deletion.ForgetAt ? new NodeForgotten(state.NodeName, now) : null;

    /// <summary>A new boot id from the agent or the Node object: the node rebooted, and every fault that clears on reboot clears.</summary>
    private static ImmutableArray<INodeHealthEvent> DecideBoot(NodeHealthState state, string bootId, DateTime now, string seenIn)
    {
        if (bootId.Length == 0 || bootId == state.HostBootId || state.EarlierHostBootIds.OrEmpty().Contains(bootId))
            return [];
        var recorded = new HostBootRecorded(state.NodeName, now, bootId);
        var cleared = state.HostBootId.Length == 0 ? [] : ActiveFaults(state, f => f.Recovery == RecoveryMode.Reboot);
        return cleared.IsEmpty
            ? [recorded]
            : [recorded, new FaultsCleared(state.NodeName, now, cleared, $"the node rebooted (boot id {state.HostBootId} → {bootId}{seenIn})")];
    }

    /// <summary>Only a boot id known to be newer than the one recorded: an empty one (or none recorded) cannot tell, an earlier one is old news.</summary>
    private static bool IsAnotherBoot(NodeHealthState state, string bootId) =>
        bootId.Length > 0 && state.HostBootId.Length > 0 && bootId != state.HostBootId && !state.EarlierHostBootIds.OrEmpty().Contains(bootId);

    private static NodeHealthState ApplyBoot(this NodeHealthState state, HostBootRecorded e) => state with
    {
        HostBootId = e.HostBootId,
        EarlierHostBootIds = state.HostBootId.Length == 0 || state.HostBootId == e.HostBootId
            ? state.EarlierHostBootIds
            : Last(state.EarlierHostBootIds.OrEmpty().Remove(state.HostBootId).Add(state.HostBootId), EarlierHostBootIdsKept),
        LastUpdated = e.RecordedAt,
    };

    /// <summary>A re-created Node carries none of our conditions: the writer reads it (and adopts) before writing everything again.</summary>
    private static NodeHealthState ApplyObserved(this NodeHealthState state, NodeObjectObserved e)
    {
        var uids = state.NodeObjectUids.OrEmpty();
        var recreated = state.NodeObjectDeletion is not null || (uids.Length > 0 && uids[^1] != e.Uid);
        return state with
        {
            NodeObjectUids = WithCurrent(uids, e.Uid),
            NodeObjectDeletion = null,
            NodeObjectRead = !recreated && state.NodeObjectRead,
            LastUpdated = e.RecordedAt,
        };
    }

    private static NodeHealthState ApplyDeleted(this NodeHealthState state, NodeObjectDeleted e) => state with
    {
        NodeObjectUids = e.Uid.Length == 0 ? state.NodeObjectUids : WithCurrent(state.NodeObjectUids.OrEmpty(), e.Uid),
        NodeObjectDeletion = new NodeObjectDeletion(e.RecordedAt, e.Uid, e.ForgetAt, e.Cause),
        LastUpdated = e.RecordedAt,
    };

    private static ImmutableArray<string> WithCurrent(ImmutableArray<string> uids, string uid) =>
        Last(uids.Remove(uid).Add(uid), NodeObjectUidsKept);
}

using System.Collections.Frozen;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Contracts.Serialization;

/// <summary>
/// Every protocol type and its manifest. The journal stores these strings: append new rows, never
/// change or reuse one.
/// </summary>
public static class ProtocolManifests
{
    public static readonly IReadOnlyList<(Type Type, string Manifest)> All =
    [
        (typeof(Finding), "f"),
        (typeof(MonitorStatus), "ms"),
        (typeof(AgentHello), "ah"),
        (typeof(FindingBatch), "fb"),
        (typeof(MonitorStatusReport), "msr"),
        (typeof(AgentMessage), "am"),
        (typeof(BatchAck), "ba"),
        (typeof(CoordinatorMessage), "cm"),
        (typeof(RecordFindings), "rf"),
        (typeof(ReportMonitors), "rm"),
        (typeof(MonitorsAck), "ma"),
        (typeof(GetNodeHealth), "gnh"),
        (typeof(NodeNotFound), "nnf"),
        (typeof(FindingsRecorded), "fr"),
        (typeof(MonitorsReported), "mr"),
        (typeof(NodeHealthState), "nhs"),
        (typeof(ConditionState), "cs"),
        (typeof(ActiveFault), "af"),
        (typeof(NodeEvent), "ne"),
        (typeof(DeliveryMark), "dm"),
        (typeof(NodeSummary), "ns"),
        (typeof(AgentHeartbeat), "hb"),
        (typeof(RenewAgentLease), "ral"),
        (typeof(AgentLeaseExpired), "ale"),
        (typeof(AgentReturned), "ar"),
        (typeof(AgentSilence), "as"),
        (typeof(ReportHostBoot), "rhb"),
        (typeof(ClearFault), "cf"),
        (typeof(FaultNotActive), "fna"),
        (typeof(HostBootRecorded), "hbr"),
        (typeof(FaultsCleared), "fc"),
        (typeof(ClearedFault), "clf"),
        (typeof(FleetSnapshot), "fls"),
        (typeof(ProbeRecovery), "prc"),
        (typeof(ConditionsAdopted), "cad"),
        (typeof(AdoptedCondition), "adc"),
        (typeof(AdoptConditions), "adp"),
        (typeof(ObserveNodeObject), "ono"),
        (typeof(ReportNodeDeleted), "rnd"),
        (typeof(NodeObjectObserved), "noo"),
        (typeof(NodeObjectDeleted), "nod"),
        (typeof(NodeForgotten), "nfg"),
        (typeof(NodeObjectDeletion), "ndl"),
        (typeof(Repair.RepairDecisionRecorded), "rdr"),
        (typeof(Repair.RepairDecisionWithdrawn), "rdw"),
        (typeof(Repair.RecordedFault), "rfa"),
        (typeof(Repair.RecordedBudget), "rbu"),
        (typeof(Repair.RepairZoneTripped), "rzt"),
        (typeof(Repair.RepairZoneClosed), "rzc"),
        (typeof(Repair.RepairZoneState), "rzs"),
        (typeof(Repair.RepairGovernorState), "rgs"),
        (typeof(Repair.GetRepairs), "grp"),
        (typeof(Repair.RepairList), "rpl"),
        (typeof(Repair.RepairStarted), "rst"),
        (typeof(Repair.RepairStepDone), "rsd"),
        (typeof(Repair.RepairEnded), "ren"),
        (typeof(Repair.RepairPausedByOperator), "rps"),
        (typeof(Repair.RepairResumedByOperator), "rrs"),
        (typeof(Repair.RepairRunState), "rrn"),
        (typeof(Repair.RepairPauseState), "rpa"),
        (typeof(Repair.RepairOperatorCommand), "roc"),
        (typeof(Repair.RepairCommandAnswer), "rca"),
        (typeof(Repair.RepairProgress), "rpg"),
        (typeof(Repair.OldRepairsForgotten), "rfg"),
        (typeof(Repair.RepairApprovedByOperator), "rap"),
        (typeof(AgentCommand), "acm"),
        (typeof(AgentCommandResult), "acr"),
        (typeof(RequestAgentCommand), "rac"),
        (typeof(AgentCommandStatus), "acs"),
        (typeof(AttachAgentStream), "aas"),
        (typeof(DeliverAgentCommands), "dac"),
        (typeof(RecordAgentCommandResult), "rcr"),
        (typeof(AgentCommandRequested), "acq"),
        (typeof(AgentCommandAnswered), "aca"),
        (typeof(AgentCommandState), "acst"),
        (typeof(Repair.RepairNodePausedByOperator), "rnp"),
        (typeof(Repair.RepairNodeResumedByOperator), "rnr"),
    ];

    private static readonly FrozenDictionary<Type, string> ByType = All.ToFrozenDictionary(e => e.Type, e => e.Manifest);
    private static readonly FrozenDictionary<string, Type> ByManifest = All.ToFrozenDictionary(e => e.Manifest, e => e.Type);

    public static string ManifestOf(Type type) =>
        ByType.TryGetValue(type, out var manifest)
            ? manifest
            : throw new ArgumentException($"{type.FullName} implements {nameof(IHealthProtocolMessage)} but has no manifest in {nameof(ProtocolManifests)}");

    public static Type TypeOf(string manifest) =>
        ByManifest.TryGetValue(manifest, out var type)
            ? type
            : throw new System.Runtime.Serialization.SerializationException($"Unknown node-health manifest '{manifest}'");
}

using NodeHealth.Actors.Health;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;
using NodeHealth.Contracts.Serialization;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Contracts.Tests;

/// <summary>
/// Values written into every journal row or used to find stored data. Changing any of them orphans or
/// corrupts what is already stored: these tests fail first, on purpose. New rows are appended here.
/// </summary>
public sealed class PinnedStorageTests(ProductionSerialization production) : IClassFixture<ProductionSerialization>
{
    /// <summary>The manifest of every protocol type, as stored; append new ones, never edit a row.</summary>
    private static readonly (Type Type, string Manifest)[] Manifests =
    [
        (typeof(Finding), "f"), (typeof(MonitorStatus), "ms"), (typeof(AgentHello), "ah"), (typeof(FindingBatch), "fb"),
        (typeof(MonitorStatusReport), "msr"), (typeof(AgentMessage), "am"), (typeof(BatchAck), "ba"), (typeof(CoordinatorMessage), "cm"),
        (typeof(RecordFindings), "rf"), (typeof(ReportMonitors), "rm"), (typeof(MonitorsAck), "ma"), (typeof(GetNodeHealth), "gnh"),
        (typeof(NodeNotFound), "nnf"), (typeof(FindingsRecorded), "fr"), (typeof(MonitorsReported), "mr"), (typeof(NodeHealthState), "nhs"),
        (typeof(ConditionState), "cs"), (typeof(ActiveFault), "af"), (typeof(NodeEvent), "ne"), (typeof(DeliveryMark), "dm"),
        (typeof(NodeSummary), "ns"), (typeof(AgentHeartbeat), "hb"), (typeof(RenewAgentLease), "ral"), (typeof(AgentLeaseExpired), "ale"),
        (typeof(AgentReturned), "ar"), (typeof(AgentSilence), "as"), (typeof(ReportHostBoot), "rhb"), (typeof(ClearFault), "cf"),
        (typeof(FaultNotActive), "fna"), (typeof(HostBootRecorded), "hbr"), (typeof(FaultsCleared), "fc"), (typeof(ClearedFault), "clf"),
        (typeof(FleetSnapshot), "fls"), (typeof(ProbeRecovery), "prc"),
        (typeof(ConditionsAdopted), "cad"), (typeof(AdoptedCondition), "adc"), (typeof(AdoptConditions), "adp"),
        (typeof(ObserveNodeObject), "ono"), (typeof(ReportNodeDeleted), "rnd"), (typeof(NodeObjectObserved), "noo"), (typeof(NodeObjectDeleted), "nod"),
        (typeof(NodeForgotten), "nfg"), (typeof(NodeObjectDeletion), "ndl"),
        (typeof(RepairDecisionRecorded), "rdr"), (typeof(RepairDecisionWithdrawn), "rdw"), (typeof(RecordedFault), "rfa"), (typeof(RecordedBudget), "rbu"),
        (typeof(RepairZoneTripped), "rzt"), (typeof(RepairZoneClosed), "rzc"), (typeof(RepairZoneState), "rzs"), (typeof(RepairGovernorState), "rgs"),
        (typeof(GetRepairs), "grp"), (typeof(RepairList), "rpl"),
        (typeof(RepairStarted), "rst"), (typeof(RepairStepDone), "rsd"), (typeof(RepairEnded), "ren"), (typeof(RepairPausedByOperator), "rps"),
        (typeof(RepairResumedByOperator), "rrs"), (typeof(RepairRunState), "rrn"), (typeof(RepairPauseState), "rpa"),
        (typeof(RepairOperatorCommand), "roc"), (typeof(RepairCommandAnswer), "rca"), (typeof(RepairProgress), "rpg"), (typeof(OldRepairsForgotten), "rfg"), (typeof(RepairApprovedByOperator), "rap"),
        (typeof(AgentCommand), "acm"), (typeof(AgentCommandResult), "acr"), (typeof(RequestAgentCommand), "rac"), (typeof(AgentCommandStatus), "acs"),
        (typeof(AttachAgentStream), "aas"), (typeof(DeliverAgentCommands), "dac"), (typeof(RecordAgentCommandResult), "rcr"),
        (typeof(AgentCommandRequested), "acq"), (typeof(AgentCommandAnswered), "aca"), (typeof(AgentCommandState), "acst"),
        (typeof(RepairNodePausedByOperator), "rnp"), (typeof(RepairNodeResumedByOperator), "rnr"),
    ];

    [Fact]
    public void Production_wiring_binds_our_types_to_serializer_5150()
    {
        var serializer = production.Serialization.FindSerializerFor(ProtocolSamples.Finding);

        Assert.IsType<HealthSerializer>(serializer);
        Assert.Equal(5150, serializer.Identifier);
        Assert.Equal(5150, HealthSerializer.Id);
    }

    [Fact]
    public void Every_pinned_manifest_still_names_its_type()
    {
        Assert.All(Manifests, pinned => Assert.Equal(pinned.Manifest, ProtocolManifests.ManifestOf(pinned.Type)));
    }

    [Fact]
    public void Every_manifest_is_pinned()
    {
        var unpinned = ProtocolManifests.All.Where(e => !Manifests.Contains(e)).Select(e => $"({e.Type.Name}, \"{e.Manifest}\")");
        Assert.True(!unpinned.Any(), $"Append to {nameof(PinnedStorageTests)}.{nameof(Manifests)}: " + string.Join(", ", unpinned));
    }

    [Fact]
    public void Shard_count_type_name_and_persistence_ids_are_as_stored()
    {
        Assert.Equal(100, NodeHealthMessageExtractor.ShardCount);
        Assert.Equal("node-health", NodeHealthWiring.TypeName);
        Assert.Equal("node-health-ip-10-0-0-1.ec2.internal", NodeHealthEntity.PersistenceIdOf("ip-10-0-0-1.ec2.internal"));
        Assert.Equal("repair-governor", NodeHealth.Actors.Repair.Governor.RepairGovernor.Id);
    }
}

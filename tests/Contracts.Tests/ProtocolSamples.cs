using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Contracts.Tests;

/// <summary>One fully populated instance of every protocol type.</summary>
public static class ProtocolSamples
{
    private static readonly DateTime At = new(2026, 11, 25, 15, 20, 0, 123, DateTimeKind.Utc);

    public static readonly Finding Finding = new("ip-10-0-0-1.ec2.internal", ConditionType.KernelReady, "SoftLockup", Severity.Warning,
        "CPU#1 stuck for 23s [stress:1234]", At, "kmsg", "0000:3b:00.0", "b007", 42, RecoveryMode.Quiet, "6f1c9e3a-host-boot", TimeSpan.FromMinutes(30), RepairAction.Reboot, Count: 7);

    public static readonly ProbeRecovery Recovery = new("ip-10-0-0-1.ec2.internal", ConditionType.NetworkingReady, "InterfaceNotUp", "eth0",
        "interfaces", "eth0 passed again", At, "b007", 44, "6f1c9e3a-host-boot");

    public static readonly MonitorStatus Monitor = new(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "Monitoring for the kernel is active");

    public static readonly ConditionState Condition = new(ConditionType.KernelReady, ConditionStatus.False, "KernelBug", "KernelBug: oops", At,
        [new ActiveFault("KernelBug", "oops", At, At.AddMinutes(1), 2, RecoveryMode.Reboot)]);

    public static readonly AdoptedCondition Adopted = new(ConditionType.KernelReady, "KernelBug", "oops", At.AddDays(-1), RecoveryMode.Reboot, TimeSpan.FromMinutes(30), RepairAction.Reboot);

    public static readonly AgentSilence Silence = new(At, TimeSpan.FromSeconds(45), At.AddSeconds(46));

    public static readonly NodeEvent Event = new(EventType.Warning, ConditionType.KernelReady, "SoftLockup", "SoftLockup: CPU#1 stuck", At, At.AddSeconds(5), 3);

    public static readonly NodeObjectDeletion Deletion = new(At.AddHours(1), "3f0b6a52-node-uid", At.AddDays(30).AddHours(1), "the node informer saw it deleted");

    public static readonly AgentCommand Command = new("repair-7f3a", AgentCommandKind.Reboot, At, "6f1c9e3a-host-boot");

    public static readonly AgentCommandResult CommandResult = new("repair-7f3a", AgentCommandOutcome.Accepted, "ran 'nsenter -t 1 -m -u -i -n -p -- systemctl reboot'", "6f1c9e3a-host-boot");

    public static readonly AgentCommandState CommandState = new("repair-7f3a", AgentCommandKind.Reboot, At, "6f1c9e3a-host-boot", AgentCommandOutcome.Accepted,
        "ran 'nsenter -t 1 -m -u -i -n -p -- systemctl reboot'", "6f1c9e3a-host-boot", At.AddSeconds(2));

    public static readonly NodeHealthState State = new NodeHealthState("node-a", [Condition], [Monitor], [Finding], [Event], [new DeliveryMark("b007", 42)], At, Silence,
        "6f1c9e3a-host-boot", At.AddMinutes(10), true, ["5d2a7c10-earlier-boot"], ["3f0b6a52-node-uid"], Deletion) { Commands = [CommandState] };

    public static readonly RecordedFault RepairFault = new("AcceleratedHardwareReady", ConditionStatus.False, "NvidiaXID79Error", At, TimeSpan.FromMinutes(10),
        RepairAction.Replace, "waits 10m (default (EKS))", "AcceleratedHardwareReady/NvidiaXID79Error repair Replace (catalog accelerator.yaml)");

    public static readonly RepairRunState RepairRun = new(
        new RepairStarted("node-a-20261127T101500Z", At, "node-a", "workers", "eu-west-1a", "AcceleratedHardwareReady", "NvidiaXID79Error", RepairAction.Replace),
        [new RepairStepDone("node-a-20261127T101500Z", At.AddMinutes(1), "Cordon", "cordoned")],
        new RepairEnded("node-a-20261127T101500Z", At.AddMinutes(20), "Failed", "drain: the API server refused", "governor"));

    public static readonly RepairPauseState RepairPause = new(At, "alice", "region-wide network maintenance");
    public static readonly RepairNodePausedByOperator RepairNodePause = new("node-b", At.AddMinutes(7), "bob", "investigating a flaky NIC; do not drain");
    public static readonly RepairApprovedByOperator RepairApproval = new("node-a", At.AddMinutes(5), "AcceleratedHardwareReady", RepairAction.Replace, "alice", "checked with the training team");

    public static readonly RecordedBudget RepairBudget = new("workers", 22, 2, "stop above 20 % unhealthy in pools of more than 5 nodes", 1, 1, 1, 10,
        "eu-west-1a", "closed", "none configured (any time)");

    public static readonly RepairDecisionRecorded RepairDecision = new("node-a", At, "workers", "eu-west-1a", "AcceleratedHardwareReady", "NvidiaXID79Error",
        RepairAction.Replace, "Deny", "PoolParallel", true, At.AddMinutes(5), "AcceleratedHardwareReady=False (NvidiaXID79Error) since ..., past its wait of 10m: Replace",
        "budgets: 1 at once per pool (default)", [RepairFault], RepairBudget, "AcceleratedHardwareReady=False ...; denied: pool workers already has 1 repair(s) running");

    public static readonly RepairZoneState RepairZone = new("eu-west-1a", At, "3 of 10 nodes turned unhealthy within 10m", At.AddHours(-1));

    public static IReadOnlyDictionary<Type, object> All { get; } = new object[]
    {
        Finding,
        Monitor,
        new AgentHello("node-a", "b007", "1.2.3", [Monitor], "6f1c9e3a-host-boot"),
        new FindingBatch([Finding, Finding with { Sequence = 43 }], [Recovery]),
        new MonitorStatusReport([Monitor]),
        new AgentMessage(Hello: new AgentHello("node-a", "b007", "1.2.3", [Monitor], "6f1c9e3a-host-boot"), Batch: new FindingBatch([Finding], [Recovery]),
            Status: new MonitorStatusReport([Monitor]), Heartbeat: new AgentHeartbeat(At), CommandResult: CommandResult),
        new AgentHeartbeat(At),
        new BatchAck("b007", 43, 1, 1),
        new CoordinatorMessage(new BatchAck("b007", 43, 1, 1), Command),
        new RecordFindings("node-a", "b007", [Finding], [Recovery]),
        new ReportMonitors("node-a", [Monitor]),
        new MonitorsAck("node-a"),
        new RenewAgentLease("node-a"),
        new ReportHostBoot("node-a", "6f1c9e3a-host-boot"),
        new ClearFault("node-a", ConditionType.KernelReady, "KernelBug", "DIMM replaced", "repaired by replace node-a-20261127T101500Z", At),
        new FaultNotActive("node-a", ConditionType.KernelReady, "KernelBug"),
        new GetNodeHealth("node-a"),
        new NodeNotFound("node-a"),
        new FindingsRecorded("node-a", At, "b007", [Finding]),
        new MonitorsReported("node-a", At, [Monitor]),
        new AgentLeaseExpired("node-a", At.AddMinutes(2), At, TimeSpan.FromSeconds(45)),
        new AgentReturned("node-a", At.AddMinutes(3)),
        new HostBootRecorded("node-a", At, "6f1c9e3a-host-boot"),
        new FaultsCleared("node-a", At, [new ClearedFault(ConditionType.KernelReady, "KernelBug")], "the node rebooted"),
        new ClearedFault(ConditionType.KernelReady, "KernelBug"),
        State,
        Silence,
        Condition,
        new ActiveFault("KernelBug", "oops", At, At.AddMinutes(1), 2, RecoveryMode.Quiet, TimeSpan.FromMinutes(30), RepairAction.Replace),
        Event,
        new DeliveryMark("b007", 42),
        new NodeSummary("node-a", [Condition], At, At.AddHours(1), "6f1c9e3a-host-boot"),
        new FleetSnapshot(1234, [State]),
        Recovery,
        new ConditionsAdopted("node-a", At, [Adopted]),
        Adopted,
        new AdoptConditions("node-a", [Adopted]),
        new ObserveNodeObject("node-a", "3f0b6a52-node-uid", "6f1c9e3a-host-boot"),
        new ReportNodeDeleted("node-a", "3f0b6a52-node-uid", "the node informer saw it deleted"),
        new NodeObjectObserved("node-a", At, "3f0b6a52-node-uid"),
        new NodeObjectDeleted("node-a", At.AddHours(1), "3f0b6a52-node-uid", At.AddDays(30).AddHours(1), "the node informer saw it deleted"),
        new NodeForgotten("node-a", At.AddDays(30).AddHours(1)),
        Deletion,
        RepairDecision,
        new RepairDecisionWithdrawn("node-a", At.AddHours(1), "no condition repair acts on is unhealthy any more"),
        RepairFault,
        RepairBudget,
        new RepairZoneTripped("eu-west-1a", At, "3 of 10 nodes turned unhealthy within 10m"),
        new RepairZoneClosed("eu-west-1a", At.AddMinutes(30), "resumed by alice", true),
        RepairZone,
        new RepairGovernorState([RepairDecision], [RepairZone], [RepairRun], RepairPause, [RepairApproval], [RepairNodePause]),
        new GetRepairs("node-a"),
        new RepairList("On", "repair.yaml", "repair.yaml line 3, column 5: unknown key 'wiat'", [RepairDecision], [RepairRun], RepairPause,
            [new RepairProgress("node-a-20261127T101500Z", "Drain answered Retry (attempt 2): evictions refused by PodDisruptionBudget default/web")], [RepairZone], [RepairApproval], [RepairNodePause]),
        new RepairProgress("node-a-20261127T101500Z", "Drain running"),
        RepairRun.Started,
        new RepairStepDone("node-b-20261127T101500Z", At.AddMinutes(3), "Reboot", "node node-b's agent accepted the reboot", "6f1c9e3a-host-boot"),
        RepairRun.Ended!,
        new RepairPausedByOperator(At, "alice", "region-wide network maintenance"),
        new RepairResumedByOperator(At.AddHours(2), "alice"),
        new OldRepairsForgotten(At.AddDays(8), At.AddDays(1)),
        RepairApproval,
        RepairRun,
        RepairPause,
        new RepairOperatorCommand("Cancel", "alice", "node-a-20261127T101500Z", "wrong node"),
        new RepairCommandAnswer(true, true, "repair node-a-20261127T101500Z cancelled"),
        Command,
        CommandResult,
        CommandState,
        new RequestAgentCommand("node-a", "repair-7f3a", AgentCommandKind.Reboot),
        new AgentCommandStatus("node-a", CommandState, true, "6f1c9e3a-host-boot"),
        new AttachAgentStream("node-a", "b007"),
        new DeliverAgentCommands("node-a", [Command]),
        new RecordAgentCommandResult("node-a", CommandResult),
        new AgentCommandRequested("node-a", At, "repair-7f3a", AgentCommandKind.Reboot, "6f1c9e3a-host-boot"),
        new AgentCommandAnswered("node-a", At.AddSeconds(2), "repair-7f3a", AgentCommandOutcome.Accepted,
            "ran 'nsenter -t 1 -m -u -i -n -p -- systemctl reboot'", "6f1c9e3a-host-boot"),
        RepairNodePause,
        new RepairNodeResumedByOperator("node-b", At.AddHours(3), "bob"),
    }.ToDictionary(o => o.GetType());

    public static ImmutableArray<Type> Types => [.. All.Keys];
}

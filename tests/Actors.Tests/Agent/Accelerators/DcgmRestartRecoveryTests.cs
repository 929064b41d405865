using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Tests.Agent.Accelerators;

/// <summary>
/// DCGMHealthCode&lt;n&gt; faults held from before an agent restart: the first complete check after it sends one family
/// recovery listing the codes still failing, and the coordinator's machine clears every other code of the family.
/// </summary>
public sealed class DcgmRestartRecoveryTests
{
    private const string Node = "gpu-node";
    private const string Gpu0 = "0000:53:00/GPU-3d1e9a8a-0b7c-5b0e-9f0d-1f5c2f3b7a01";
    private const string Gpu2 = "0000:75:00/GPU-9c4a1e2f-6b5d-4e7f-a091-3b5c7d9e1f03";
    private static readonly ReasonCatalog Catalog = CatalogLoader.LoadBuiltIn();
    private static readonly DateTime T0 = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
    private static readonly MonitorStatus GpusPresent = new(ConditionType.AcceleratedHardwareReady, MonitorState.Active, "NvidiaGPUIsReady", "8 NVIDIA GPUs");

    private static readonly ProbeFailure DoubleBit = new("DCGMHealthCode4", Gpu0, "GPU 0 (0000:53:00) Memory system: Detected 2 volatile double-bit ECC error(s) in GPU 0.") { Severity = Severity.Fatal };
    private static readonly ProbeFailure LinkDown = new("DCGMHealthCode14", Gpu2, "GPU 2 (0000:75:00) NVLINK system: GPU 2's NvLink link 5 is currently down") { Severity = Severity.Fatal };

    private static ProbeVerdicts Verdicts() => new("dcgm", Catalog.RulesFor("probe-dcgm"));

    /// <summary>One agent run's uplink: stamps what a poll changed as the uplink does (findings, then recoveries) and checks it as ingest does.</summary>
    private sealed class AgentRun(string run)
    {
        private long _sequence;

        public RecordFindings Send(ProbeChanges changes)
        {
            var findings = changes.Raised.Select(d => new Finding(Node, d.Condition, d.Reason, d.Severity, d.Message, d.ObservedAt, d.Source, d.Entity,
                run, ++_sequence, d.Recovery, "host-boot", d.QuietFor)).ToList();
            var recoveries = changes.Recovered.Select(r => new ProbeRecovery(Node, r.Condition, r.Reason, r.Entity, r.Probe, r.Detail, r.ObservedAt,
                run, ++_sequence, "host-boot") { StillFailing = [.. r.StillFailing] }).ToList();
            Assert.All(findings, f => Assert.Null(FindingValidation.Problem(f)));
            Assert.All(recoveries, r => Assert.Null(FindingValidation.Problem(r)));
            return new RecordFindings(Node, run, [.. findings], [.. recoveries]);
        }
    }

    private static NodeHealthState Monitored()
    {
        var state = NodeHealthState.Empty(Node);
        return state.Apply(state.Decide(new ReportMonitors(Node, [GpusPresent]), T0)!);
    }

    private static (NodeHealthState State, IReadOnlyList<INodeHealthEvent> Events) Deliver(NodeHealthState state, RecordFindings command, DateTime at)
    {
        var (_, events) = state.DecideDelivery(command, Catalog, at);
        return (events.Aggregate(state, (s, e) => s.Apply(e)), events);
    }

    private static IReadOnlyList<string> ActiveFaults(NodeHealthState state) =>
        [.. state.Conditions.Single(c => c.Type == ConditionType.AcceleratedHardwareReady).ActiveFaults.OrEmpty().Select(f => f.Reason).Order(StringComparer.Ordinal)];

    private static NodeHealthState FaultedBeforeRestart(params ProbeFailure[] failing)
    {
        var (state, _) = Deliver(Monitored(), new AgentRun("run-1").Send(Verdicts().Observe(failing, T0.AddMinutes(1))), T0.AddMinutes(1));
        return state;
    }

    [Fact]
    public void A_health_code_raised_before_an_agent_restart_clears_when_the_first_check_after_it_no_longer_reports_it()
    {
        var before = FaultedBeforeRestart(DoubleBit, LinkDown);
        Assert.Equal(["DCGMHealthCode14", "DCGMHealthCode4"], ActiveFaults(before));

        var first = Verdicts().Observe([LinkDown], T0.AddMinutes(10));
        var family = Assert.Single(first.Recovered, r => r.Reason == "DCGMHealthCode{code}");
        Assert.Equal(["DCGMHealthCode14"], family.StillFailing);
        var (after, events) = Deliver(before, new AgentRun("run-2").Send(first), T0.AddMinutes(10));

        var cleared = Assert.Single(events.OfType<FaultsCleared>());
        Assert.Equal([new ClearedFault(ConditionType.AcceleratedHardwareReady, "DCGMHealthCode4")], cleared.Faults.ToArray());
        Assert.Equal("probe dcgm: passed when the agent started", cleared.Cause);
        Assert.Equal(["DCGMHealthCode14"], ActiveFaults(after));
    }

    [Fact]
    public void A_code_that_is_only_a_warning_after_the_restart_no_longer_holds_its_fault()
    {
        var before = FaultedBeforeRestart(LinkDown);

        var (after, _) = Deliver(before, new AgentRun("run-2").Send(Verdicts().Observe([LinkDown with { Severity = Severity.Warning }], T0.AddMinutes(10))), T0.AddMinutes(10));

        Assert.Empty(ActiveFaults(after));
    }

    [Fact]
    public void While_dcgm_does_not_answer_after_the_restart_nothing_is_cleared_until_it_does()
    {
        var before = FaultedBeforeRestart(DoubleBit);
        var verdicts = Verdicts();
        var run = new AgentRun("run-2");

        var unreachable = verdicts.Observe([DoubleBit, new ProbeFailure("DCGMError", null, "DCGM has not answered a health check for 61 s")], T0.AddMinutes(10), complete: false);
        Assert.Empty(unreachable.Recovered);
        var (down, _) = Deliver(before, run.Send(unreachable), T0.AddMinutes(10));
        Assert.Equal(["DCGMError", "DCGMHealthCode4"], ActiveFaults(down));

        var (answered, _) = Deliver(down, run.Send(verdicts.Observe([], T0.AddMinutes(11))), T0.AddMinutes(11));
        Assert.Empty(ActiveFaults(answered));
    }

    [Fact]
    public void A_family_recovery_spares_a_code_observed_after_its_check_and_faults_outside_the_family()
    {
        var xid = new Finding(Node, ConditionType.AcceleratedHardwareReady, "NvidiaXID79Error", Severity.Fatal, "NVRM: Xid (PCI:0000:53:00): 79, GPU has fallen off the bus.",
            T0.AddMinutes(2), "kmsg", "0000:53:00", "run-1", 10, RecoveryMode.Reboot);
        var recurred = new Finding(Node, ConditionType.AcceleratedHardwareReady, "DCGMHealthCode4", Severity.Fatal, DoubleBit.Message,
            T0.AddMinutes(20), "probe-dcgm", Gpu0, "run-1", 11, RecoveryMode.Probe);
        var (before, _) = Deliver(FaultedBeforeRestart(DoubleBit), new RecordFindings(Node, "run-1", [xid, recurred], []), T0.AddMinutes(20));

        var family = new ProbeRecovery(Node, ConditionType.AcceleratedHardwareReady, "DCGMHealthCode{code}", null, "dcgm", "passed when the agent started",
            T0.AddMinutes(10), "run-2", 1);
        var (after, events) = Deliver(before, new RecordFindings(Node, "run-2", [], [family]), T0.AddMinutes(21));

        Assert.Empty(events);
        Assert.Equal(["DCGMHealthCode4", "NvidiaXID79Error"], ActiveFaults(after));
    }

    [Theory]
    [InlineData("DCGMHealthCode{code}", new[] { "DCGMHealthCode14" }, null)]
    [InlineData("{unit}RepeatedRestart", new string[0], null)]
    [InlineData("DCGMHealthCode{code", new string[0], "reason must be")]
    [InlineData("DCGM{a}Code{b}", new string[0], "reason must be")]
    [InlineData("DCGMHealthCode{}", new string[0], "reason must be")]
    [InlineData("DCGMHealthCode4", new[] { "DCGMHealthCode14" }, "stillFailing is only for a family recovery")]
    [InlineData("DCGMHealthCode{code}", new[] { "DCGM Health" }, "stillFailing: reason must be")]
    public void Ingest_accepts_a_family_recovery_naming_a_template_and_still_failing_reasons_only(string reason, string[] stillFailing, string? problem)
    {
        var recovery = new ProbeRecovery(Node, ConditionType.AcceleratedHardwareReady, reason, null, "dcgm", "passed when the agent started", T0, "run-2", 1)
        {
            StillFailing = [.. stillFailing],
        };

        var found = FindingValidation.Problem(recovery);

        if (problem is null)
            Assert.Null(found);
        else
            Assert.StartsWith(problem, found);
    }

    [Fact]
    public void A_family_recovery_keeps_its_still_failing_reasons_through_protobuf()
    {
        var recovery = new ProbeRecovery(Node, ConditionType.AcceleratedHardwareReady, "DCGMHealthCode{code}", null, "dcgm", "passed when the agent started",
            T0, "run-2", 3, "host-boot") { StillFailing = ["DCGMHealthCode14", "DCGMHealthCode4"] };

        var copy = ProtoBuf.Serializer.DeepClone(recovery);

        Assert.Equal(["DCGMHealthCode14", "DCGMHealthCode4"], copy.StillFailing.ToArray());
        Assert.Equal((recovery.Reason, recovery.Sequence, recovery.HostBootId), (copy.Reason, copy.Sequence, copy.HostBootId));
    }
}

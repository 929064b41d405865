using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Agent.Accelerators;

/// <summary>DCGMHealthCode{code}: concrete reasons of a family through the probe's verdicts and the coordinator's authority.</summary>
public sealed class DcgmFamilyTests
{
    private static readonly ReasonCatalog Catalog = CatalogLoader.LoadBuiltIn();
    private static readonly DateTime T0 = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);

    private static ProbeVerdicts Verdicts() => new("dcgm", Catalog.RulesFor("probe-dcgm"));

    [Fact]
    public void A_concrete_code_is_raised_at_the_severity_dcgm_graded_and_recovered_by_its_own_name()
    {
        var verdicts = Verdicts();
        var start = verdicts.Observe([], T0);
        // The family's codes cannot be named at start: one family recovery stands for them all, none failing.
        Assert.Equal([("DCGMError", 0), ("DCGMHealthCode{code}", 0)], start.Recovered.Select(r => (r.Reason, r.StillFailing.Count)));

        var raised = verdicts.Observe(
        [
            new ProbeFailure("DCGMHealthCode4", "GPU 0", "GPU 0 Memory system: Detected 2 volatile double-bit ECC error(s) in GPU 0.") { Severity = Severity.Fatal },
            new ProbeFailure("DCGMHealthCode3", "GPU 1", "GPU 1 PCIe system: Detected more than 8 PCIe replays per minute for GPU 1 : 13") { Severity = Severity.Warning },
        ], T0.AddMinutes(1));
        Assert.Equal([("DCGMHealthCode4", Severity.Fatal, RecoveryMode.Probe), ("DCGMHealthCode3", Severity.Warning, RecoveryMode.None)],
            raised.Raised.Select(f => (f.Reason, f.Severity, f.Recovery)));

        var passed = verdicts.Observe([], T0.AddMinutes(2));
        // The warning held no fault; its recovery is one the coordinator ignores, as for any reason not active.
        Assert.Equal([("DCGMHealthCode4", "GPU 0"), ("DCGMHealthCode3", "GPU 1")], passed.Recovered.Select(r => (r.Reason, r.Entity!)));
    }

    [Fact]
    public void A_reason_outside_the_family_is_not_raised()
    {
        var changes = Verdicts().Observe([new ProbeFailure("DCGMHealthCodeX", null, "not a code")], T0);

        Assert.Empty(changes.Raised);
    }

    [Theory]
    [InlineData("DCGMHealthCode3", Severity.Warning, Severity.Warning)]
    [InlineData("DCGMHealthCode4", Severity.Fatal, Severity.Fatal)]
    [InlineData("NvidiaDoubleBitError", Severity.Warning, Severity.Fatal)]
    public void The_coordinator_keeps_dcgms_milder_grade_for_health_codes_only(string reason, Severity reported, Severity recorded)
    {
        var finding = new Finding("gpu-node", ConditionType.AcceleratedHardwareReady, reason, reported, "m", T0, "probe-dcgm", "GPU 0", "run-1", 1);

        Assert.Equal(recorded, ReasonAuthority.Interpret(Catalog, finding).Severity);
    }
}

using Grpc.Core;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Wire;
using NodeHealth.Coordinator.Ingest;

namespace NodeHealth.Coordinator.Tests;

public sealed class ProbeRecoveryValidationTests
{
    private static ProbeRecovery Valid(long sequence = 2) => new("node-a", ConditionType.NetworkingReady, "InterfaceNotUp", "eth0", "interfaces",
        "eth0 passed again", DateTime.UtcNow, "run-1", sequence);

    private static RpcException Rejected(params ProbeRecovery[] recoveries) =>
        Assert.Throws<RpcException>(() => IngestValidation.Validate(new FindingBatch([], [.. recoveries]), "node-a"));

    [Fact]
    public void A_batch_of_only_probe_recoveries_passes()
    {
        IngestValidation.Validate(new FindingBatch([], [Valid(1), Valid(2)]), "node-a");
    }

    [Fact]
    public void Findings_and_recoveries_together_count_against_the_batch_limit()
    {
        var finding = new Finding("node-a", ConditionType.KernelReady, "SoftLockup", Severity.Warning, "stuck", DateTime.UtcNow, "kmsg", null, "run-1", 1);

        var error = Assert.Throws<RpcException>(() => IngestValidation.Validate(
            new FindingBatch([finding], [.. Enumerable.Range(2, IngestLimits.MaxFindingsPerBatch).Select(i => Valid(i))]), "node-a"));

        Assert.Contains($"1 to {IngestLimits.MaxFindingsPerBatch} findings and probe recoveries, not {IngestLimits.MaxFindingsPerBatch + 1}", error.Status.Detail);
    }

    [Fact]
    public void A_recovery_for_another_node_is_permission_denied()
    {
        Assert.Equal(StatusCode.PermissionDenied, Rejected(Valid() with { NodeName = "node-b" }).StatusCode);
    }

    [Theory]
    [InlineData("reason", "Interface Not Up", "reason must be 1 to 128 ASCII letters, digits and hyphens")]
    [InlineData("probe", "", "probe must be 1 to 128")]
    [InlineData("probe", "inter faces\n", "probe must be 1 to 128")]
    [InlineData("entity", "x", "entity is longer than 256")]
    [InlineData("detail", "x", "detail is missing or longer than 4096")]
    [InlineData("boot", "", "agent boot id is missing")]
    public void Hostile_values_are_rejected_naming_the_field_the_run_and_the_sequence(string field, string value, string expected)
    {
        var recovery = field switch
        {
            "reason" => Valid(7) with { Reason = value },
            "probe" => Valid(7) with { Probe = value },
            "entity" => Valid(7) with { Entity = new string('e', IngestLimits.MaxEntityLength + 1) },
            "detail" => Valid(7) with { Detail = new string('d', IngestLimits.MaxMessageLength + 1) },
            _ => Valid(7) with { AgentBootId = value },
        };

        var error = Rejected(Valid(6), recovery);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("probe recovery 1", error.Status.Detail);
        Assert.Contains(expected, error.Status.Detail);
        if (field != "boot")
            Assert.Equal("7", error.Trailers.GetValue(FindingValidation.RejectedSequenceTrailer));
    }

    [Fact]
    public void Unknown_condition_missing_time_and_nonpositive_sequence_are_rejected()
    {
        Assert.Contains("condition", Rejected(Valid() with { Condition = (ConditionType)99 }).Status.Detail);
        Assert.Contains("observedAt", Rejected(Valid() with { ObservedAt = default }).Status.Detail);
        Assert.Contains("sequence must be positive", Rejected(Valid() with { Sequence = 0 }).Status.Detail);
    }
}

using Grpc.Core;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Wire;
using NodeHealth.Coordinator.Ingest;

namespace NodeHealth.Coordinator.Tests;

public sealed class IngestValidationTests
{
    private static Finding Valid(long sequence = 1) => new("node-a", ConditionType.KernelReady, "SoftLockup", Severity.Warning, "stuck",
        DateTime.UtcNow, "kmsg", null, "run-1", sequence);

    private static RpcException Rejected(params Finding[] findings) =>
        Assert.Throws<RpcException>(() => IngestValidation.Validate(new FindingBatch([.. findings]), "node-a"));

    [Fact]
    public void Valid_batch_passes()
    {
        IngestValidation.Validate(new FindingBatch([Valid(1), Valid(2)]), "node-a");
    }

    [Fact]
    public void Empty_batch_is_invalid()
    {
        Assert.Equal(StatusCode.InvalidArgument, Rejected().StatusCode);
    }

    [Fact]
    public void Batch_above_the_limit_is_invalid()
    {
        var error = Rejected([.. Enumerable.Range(1, IngestLimits.MaxFindingsPerBatch + 1).Select(i => Valid(i))]);
        Assert.Contains("1 to 500", error.Status.Detail);
    }

    [Theory]
    [InlineData("reason with spaces")]
    [InlineData("-LeadingDashRepeatedRestart")]
    [InlineData("NvidiaXID{xid}Error")]
    [InlineData("")]
    public void Reason_must_be_ascii_letters_digits_and_hyphens(string reason)
    {
        Assert.Equal(StatusCode.InvalidArgument, Rejected(Valid() with { Reason = reason }).StatusCode);
    }

    [Theory]
    [InlineData("My-Custom-ServiceRepeatedRestart")]
    [InlineData("NvidiaXID79Error")]
    public void A_concrete_family_reason_with_hyphens_or_digits_is_valid(string reason)
    {
        IngestValidation.Validate(new FindingBatch([Valid() with { Reason = reason }]), "node-a");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(IngestLimits.MaxFindingCount + 1)]
    public void Count_must_be_zero_to_the_limit(int count)
    {
        Assert.Contains($"count {count} must be 0 to", Rejected(Valid() with { Count = count }).Status.Detail);
    }

    [Theory]
    [InlineData(0)] // An agent older than the field.
    [InlineData(1)]
    [InlineData(99_999)]
    public void Count_within_the_limit_is_valid(int count)
    {
        IngestValidation.Validate(new FindingBatch([Valid() with { Count = count }]), "node-a");
    }

    [Fact]
    public void Finding_for_another_node_is_permission_denied()
    {
        Assert.Equal(StatusCode.PermissionDenied, Rejected(Valid() with { NodeName = "node-b" }).StatusCode);
    }

    [Fact]
    public void Overlong_fields_are_invalid()
    {
        Assert.Contains("message", Rejected(Valid() with { Message = new string('m', IngestLimits.MaxMessageLength + 1) }).Status.Detail);
        Assert.Contains("entity", Rejected(Valid() with { Entity = new string('e', IngestLimits.MaxEntityLength + 1) }).Status.Detail);
        Assert.Contains("boot id", Rejected(Valid() with { AgentBootId = new string('b', 65) }).Status.Detail);
    }

    [Theory]
    [InlineData(Severity.Fatal, RecoveryMode.None)]
    [InlineData(Severity.Fatal, (RecoveryMode)9)]
    [InlineData(Severity.Warning, RecoveryMode.Reboot)]
    public void Recovery_mode_must_fit_the_severity(Severity severity, RecoveryMode recovery)
    {
        Assert.Contains("recovery", Rejected(Valid() with { Severity = severity, Recovery = recovery }).Status.Detail);
    }

    [Theory]
    [InlineData(RecoveryMode.Quiet, 0)]
    [InlineData(RecoveryMode.Quiet, 31 * 24 * 60)]
    [InlineData(RecoveryMode.Manual, 30)]
    public void Quiet_period_must_be_set_for_quiet_recovery_and_only_then(RecoveryMode recovery, int minutes)
    {
        var finding = Valid() with { Severity = Severity.Fatal, Recovery = recovery, QuietFor = TimeSpan.FromMinutes(minutes) };
        Assert.Contains("quietFor", Rejected(finding).Status.Detail);
    }

    [Fact]
    public void Fatal_finding_with_a_recovery_mode_and_host_boot_id_passes()
    {
        IngestValidation.Validate(new FindingBatch([Valid() with { Severity = Severity.Fatal, Recovery = RecoveryMode.Reboot, HostBootId = "6f1c9e3a" }]), "node-a");
        Assert.Contains("host boot id", Rejected(Valid() with { HostBootId = new string('h', 65) }).Status.Detail);
    }

    [Fact]
    public void Rejection_names_the_offending_findings_agent_run_and_sequence()
    {
        var error = Rejected(Valid(7), Valid(8) with { Reason = "not valid" });

        Assert.Contains("sequence 8", error.Status.Detail);
        Assert.Equal("run-1", error.Trailers.GetValue(FindingValidation.RejectedAgentRunTrailer));
        Assert.Equal("8", error.Trailers.GetValue(FindingValidation.RejectedSequenceTrailer));
    }

    [Fact]
    public void Missing_observed_time_is_invalid()
    {
        Assert.Contains("observedAt", Rejected(Valid() with { ObservedAt = default }).Status.Detail);
    }

    [Fact]
    public void Hello_with_a_bad_node_name_or_monitors_is_invalid()
    {
        Assert.Throws<RpcException>(() => IngestValidation.Validate(new AgentHello("UPPER", "run-1", "1", [])));
        var twice = new MonitorStatus(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "");
        var error = Assert.Throws<RpcException>(() => IngestValidation.Validate(new AgentHello("node-a", "run-1", "1", [twice, twice])));
        Assert.Contains("twice", error.Status.Detail);
    }
}

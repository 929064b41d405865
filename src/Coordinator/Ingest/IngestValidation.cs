using Grpc.Core;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Coordinator.Ingest;

/// <summary>Everything an agent sends is checked here before it reaches an entity; a violation ends the stream with a clear status.</summary>
public static class IngestValidation
{
    public static void Validate(AgentHello hello)
    {
        if (!NodeNames.IsValid(hello.NodeName))
            throw Invalid($"hello: node name '{Clip(hello.NodeName)}' is not a valid Kubernetes node name");
        RequireBootId(hello.AgentBootId, "hello");
        Require(hello.AgentVersion is { Length: <= 64 }, "hello: agent version is missing or longer than 64 characters");
        Require(hello.HostBootId is { Length: <= IngestLimits.MaxBootIdLength }, $"hello: host boot id is missing or longer than {IngestLimits.MaxBootIdLength}");
        Validate(hello.Monitors.OrEmpty(), "hello");
    }

    public static void Validate(IReadOnlyList<MonitorStatus> monitors, string where)
    {
        Require(monitors.Count <= ConditionTypes.All.Count, $"{where}: more monitors than conditions");
        foreach (var monitor in monitors)
        {
            Require(ConditionTypes.IsDefined(monitor.Condition), $"{where}: monitor condition {monitor.Condition} is not known");
            Require(monitor.State is MonitorState.Active or MonitorState.Inactive or MonitorState.Failed or MonitorState.Starting, $"{where}: monitor state {monitor.State} is not known");
            Require(monitor.Reason is { Length: > 0 and <= IngestLimits.MaxReasonLength }, $"{where}: monitor reason is missing or too long");
            Require(monitor.Detail is { Length: <= IngestLimits.MaxMessageLength }, $"{where}: monitor detail is missing or too long");
        }

        Require(monitors.Select(m => m.Condition).Distinct().Count() == monitors.Count, $"{where}: a condition is reported twice");
    }

    public static void Validate(FindingBatch batch, string nodeName)
    {
        var findings = batch.Findings.OrEmpty();
        Require(findings.Length is > 0 and <= IngestLimits.MaxFindingsPerBatch, $"batch: must hold 1 to {IngestLimits.MaxFindingsPerBatch} findings, not {findings.Length}");
        for (var i = 0; i < findings.Length; i++)
        {
            var f = findings[i];
            var where = $"finding {i}";
            if (f.NodeName != nodeName)
                throw new RpcException(new Status(StatusCode.PermissionDenied, $"{where}: this stream reports for node '{nodeName}', not '{Clip(f.NodeName)}'"));
            Require(ConditionTypes.IsDefined(f.Condition), $"{where}: condition {f.Condition} is not known");
            Require(f.Severity is Severity.Info or Severity.Warning or Severity.Fatal, $"{where}: severity {f.Severity} is not known");
            Require(f.Reason is { Length: > 0 and <= IngestLimits.MaxReasonLength } && f.Reason.All(char.IsAsciiLetterOrDigit), $"{where}: reason must be 1 to {IngestLimits.MaxReasonLength} ASCII letters and digits");
            Require(f.Message is { Length: <= IngestLimits.MaxMessageLength }, $"{where}: message is missing or longer than {IngestLimits.MaxMessageLength}");
            Require(f.Source is { Length: > 0 and <= IngestLimits.MaxSourceLength }, $"{where}: source is missing or too long");
            Require(f.Entity is null or { Length: <= IngestLimits.MaxEntityLength }, $"{where}: entity is longer than {IngestLimits.MaxEntityLength}");
            Require(f.ObservedAt != default, $"{where}: observedAt is missing");
            RequireBootId(f.AgentBootId, where);
            Require(f.Sequence > 0, $"{where}: sequence must be positive");
            Require(f.Severity == Severity.Fatal ? Enum.IsDefined(f.Recovery) && f.Recovery != RecoveryMode.None : f.Recovery == RecoveryMode.None,
                $"{where}: recovery {f.Recovery} does not fit severity {f.Severity} (a Fatal finding needs reboot, probe, quiet or manual; others none)");
            Require(f.Recovery == RecoveryMode.Quiet ? f.QuietFor > TimeSpan.Zero && f.QuietFor <= IngestLimits.MaxQuietFor : f.QuietFor == TimeSpan.Zero,
                $"{where}: quietFor must be set (up to {IngestLimits.MaxQuietFor.TotalDays:0} days) for recovery quiet, and only then");
            Require(f.HostBootId is { Length: <= IngestLimits.MaxBootIdLength }, $"{where}: host boot id is missing or longer than {IngestLimits.MaxBootIdLength}");
        }
    }

    private static void RequireBootId(string? bootId, string where) =>
        Require(bootId is { Length: > 0 and <= IngestLimits.MaxBootIdLength }, $"{where}: agent boot id is missing or longer than {IngestLimits.MaxBootIdLength}");

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw Invalid(message);
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static string Clip(string? text) => text is null ? "" : text.Length <= 64 ? text : text[..64] + "…";
}

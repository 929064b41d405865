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
            Require(monitor.State is MonitorState.Active or MonitorState.Inactive or MonitorState.Failed or MonitorState.Starting or MonitorState.Absent, $"{where}: monitor state {monitor.State} is not known");
            Require(monitor.Reason is { Length: > 0 and <= IngestLimits.MaxReasonLength }, $"{where}: monitor reason is missing or too long");
            Require(monitor.Detail is { Length: <= IngestLimits.MaxMessageLength }, $"{where}: monitor detail is missing or too long");
        }

        Require(monitors.Select(m => m.Condition).Distinct().Count() == monitors.Count, $"{where}: a condition is reported twice");
    }

    public static void Validate(FindingBatch batch, string nodeName)
    {
        var findings = batch.Findings.OrEmpty();
        var recoveries = batch.Recoveries.OrEmpty();
        Require(findings.Length + recoveries.Length is > 0 and <= IngestLimits.MaxFindingsPerBatch,
            $"batch: must hold 1 to {IngestLimits.MaxFindingsPerBatch} findings and probe recoveries, not {findings.Length + recoveries.Length}");
        for (var i = 0; i < findings.Length; i++)
        {
            var f = findings[i];
            var where = $"finding {i}";
            if (f.NodeName != nodeName)
                throw new RpcException(new Status(StatusCode.PermissionDenied, $"{where}: this stream reports for node '{nodeName}', not '{Clip(f.NodeName)}'"));
            if (FindingValidation.Problem(f) is { } problem)
                throw Rejected(f.AgentBootId, f.Sequence, $"{where} (agent run {Clip(f.AgentBootId)}, sequence {f.Sequence}): {problem}");
        }

        for (var i = 0; i < recoveries.Length; i++)
        {
            var r = recoveries[i];
            var where = $"probe recovery {i}";
            if (r.NodeName != nodeName)
                throw new RpcException(new Status(StatusCode.PermissionDenied, $"{where}: this stream reports for node '{nodeName}', not '{Clip(r.NodeName)}'"));
            if (FindingValidation.Problem(r) is { } problem)
                throw Rejected(r.AgentBootId, r.Sequence, $"{where} (agent run {Clip(r.AgentBootId)}, sequence {r.Sequence}): {problem}");
        }
    }

    /// <summary>An answer to a command: its id as commands carry them, a known outcome, a bounded detail and boot id.</summary>
    public static void Validate(AgentCommandResult result)
    {
        if (AgentCommandIds.Problem(result.Id) is { } problem)
            throw Invalid($"command result: {problem}");
        Require(result.Outcome is AgentCommandOutcome.Accepted or AgentCommandOutcome.Refused or AgentCommandOutcome.Failed,
            $"command result {result.Id}: outcome {result.Outcome} is not Accepted, Refused or Failed");
        Require(result.Detail is { Length: <= IngestLimits.MaxMessageLength }, $"command result {result.Id}: detail is missing or longer than {IngestLimits.MaxMessageLength}");
        Require(result.HostBootId is { Length: <= IngestLimits.MaxBootIdLength }, $"command result {result.Id}: host boot id is missing or longer than {IngestLimits.MaxBootIdLength}");
    }

    private static void RequireBootId(string? bootId, string where)
    {
        if (FindingValidation.AgentBootIdProblem(bootId) is { } problem)
            throw Invalid($"{where}: {problem}");
    }

    /// <summary>Names the finding in trailers too, so the agent quarantines that one and resends the rest.</summary>
    private static RpcException Rejected(string? agentBootId, long sequence, string message)
    {
        var trailers = new Metadata();
        // A header value must be printable ASCII; a run id that is not cannot name anything the agent holds.
        if (agentBootId is { Length: > 0 and <= IngestLimits.MaxBootIdLength } run && run.All(c => c is >= ' ' and <= '~'))
        {
            trailers.Add(FindingValidation.RejectedAgentRunTrailer, run);
            trailers.Add(FindingValidation.RejectedSequenceTrailer, sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new RpcException(new Status(StatusCode.InvalidArgument, message), trailers);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw Invalid(message);
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static string Clip(string? text) => text is null ? "" : text.Length <= 64 ? text : text[..64] + "…";
}

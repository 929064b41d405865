using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Yaml;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Repair;
using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.Security;
using NodeHealth.Coordinator.Api.OpenApi;

namespace NodeHealth.Coordinator.Repair;

/// <summary>
/// GET /api/repairs: the governor's latest decision per node with its explanation, the repairs and the pause, from the
/// singleton wherever it runs. POST pause, resume, zones/{zone}/resume, {id}/cancel, nodes/{name}/approve and
/// nodes/{name}/pause|resume change it (operator token).
/// </summary>
public static class RepairApi
{
    private const int MaxNoteLength = 500;
    private const int MaxByLength = 100;
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);
    private static readonly int[] OperatorProblems =
        [StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, ApiDocs.Unavailable];

    public static IEndpointRouteBuilder MapRepairApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/repairs", async (string? node, IRequiredActor<RepairGovernor> governor, CancellationToken cancellation) =>
        {
            if (node is not null && !NodeNames.IsValid(node))
                return ApiProblems.InvalidNodeName();
            return await Ask<RepairList>(governor, new GetRepairs(node ?? ""), list => Results.Ok(RepairListView.From(list)), cancellation);
        }).Documented(ApiDocs.Repairs, "Repair decisions and repairs",
            "The mode and policy in force, the latest decision per node with its explanation (rule, clause, findings, budget), the repairs (newest first), " +
            "the pause, the approvals not used yet and the nodes an operator paused (pausedNodes).",
            StatusCodes.Status400BadRequest, ApiDocs.Unavailable)
          .Produces<RepairListView>();
        app.MapPost("/api/repairs/pause", (string? note, string? by, HttpRequest request, OperatorToken token, IRequiredActor<RepairGovernor> governor, CancellationToken cancellation) =>
            Operate(request, token, governor, RepairGovernor.OperatorCommands.Pause, "", note, by, cancellation))
            .Documented(ApiDocs.Repairs, "Pause repair (operator)", "No new repair starts until resumed; running ones go on. Needs the operator token.", OperatorProblems)
            .Produces<RepairCommandView>();
        app.MapPost("/api/repairs/resume", (string? by, HttpRequest request, OperatorToken token, IRequiredActor<RepairGovernor> governor, CancellationToken cancellation) =>
            Operate(request, token, governor, RepairGovernor.OperatorCommands.Resume, "", null, by, cancellation))
            .Documented(ApiDocs.Repairs, "Resume repair (operator)", "Lifts the operator pause. Needs the operator token.", OperatorProblems)
            .Produces<RepairCommandView>();
        app.MapPost("/api/repairs/zones/{zone}/resume", (string zone, string? by, HttpRequest request, OperatorToken token, IRequiredActor<RepairGovernor> governor, CancellationToken cancellation) =>
            Operate(request, token, governor, RepairGovernor.OperatorCommands.ResumeZone, zone, null, by, cancellation))
            .Documented(ApiDocs.Repairs, "Close a zone's storm breaker (operator)", "Repairs in the zone may start again. Needs the operator token. 404: no such zone breaker.", OperatorProblems)
            .Produces<RepairCommandView>();
        app.MapPost("/api/repairs/{id}/cancel", (string id, string? note, string? by, HttpRequest request, OperatorToken token, IRequiredActor<RepairGovernor> governor, CancellationToken cancellation) =>
            Operate(request, token, governor, RepairGovernor.OperatorCommands.Cancel, id, note, by, cancellation))
            .Documented(ApiDocs.Repairs, "Cancel a repair (operator)", "Stops a running repair after its current step. Needs the operator token. 404: no such repair.", OperatorProblems)
            .Produces<RepairCommandView>();
        app.MapPost("/api/repairs/nodes/{name}/approve", (string name, string? note, string? by, HttpRequest request, OperatorToken token, IRequiredActor<RepairGovernor> governor, CancellationToken cancellation) =>
                Operate(request, token, governor, RepairGovernor.OperatorCommands.Approve, name, note, by, cancellation, targetIsNode: true))
            .Documented(ApiDocs.Repairs, "Approve a node's repair (operator)",
                "Where the policy's approval clause holds the node's repair action for an operator, lets it start once every other clause allows it " +
                "(also ahead of time, while its wait runs). Needs the operator token. 404: no repair is pending for the node; 'changed' false: it needs no approval, is already approved or running.",
                OperatorProblems)
            .Produces<RepairCommandView>();
        app.MapPost("/api/repairs/nodes/{name}/pause", (string name, string? note, string? by, HttpRequest request, OperatorToken token, IRequiredActor<RepairGovernor> governor, CancellationToken cancellation) =>
                Operate(request, token, governor, RepairGovernor.OperatorCommands.PauseNode, name, note, by, cancellation, targetIsNode: true))
            .Documented(ApiDocs.Repairs, "Pause a node's repair (operator)",
                "No new repair of the node starts until it is resumed, whatever its faults (its decision is denied, NodePaused, with who paused it, when and the note); " +
                "a repair of it already running goes on (cancel stops it). The pause is by name: it lasts until resumed, also while the node is healthy, " +
                "and may be set before the node is known. Needs the operator token. 'changed' false: it was already paused.",
                OperatorProblems)
            .Produces<RepairCommandView>();
        app.MapPost("/api/repairs/nodes/{name}/resume", (string name, string? by, HttpRequest request, OperatorToken token, IRequiredActor<RepairGovernor> governor, CancellationToken cancellation) =>
                Operate(request, token, governor, RepairGovernor.OperatorCommands.ResumeNode, name, null, by, cancellation, targetIsNode: true))
            .Documented(ApiDocs.Repairs, "Resume a node's repair (operator)",
                "Lifts the node's operator pause: the policy judges its repairs again. Needs the operator token. 'changed' false: it was not paused.", OperatorProblems)
            .Produces<RepairCommandView>();
        return app.MapRepairReadSide();
    }

    /// <summary>An operator's call: the token first, then the inputs, then the governor's answer (404 when it names nothing).</summary>
    private static async Task<IResult> Operate(HttpRequest request, OperatorToken token, IRequiredActor<RepairGovernor> governor,
        string kind, string target, string? note, string? by, CancellationToken cancellation, bool targetIsNode = false)
    {
        if (token.Check(request.Headers.Authorization) is { } problem)
            return ApiProblems.OperatorTokenRequired(request, problem);
        if (targetIsNode && !NodeNames.IsValid(target))
            return ApiProblems.InvalidNodeName();
        if (note is { Length: > MaxNoteLength })
            return ApiProblems.BadRequest("Note too long", $"The note is limited to {MaxNoteLength} characters.");
        if (by is { Length: > MaxByLength } || by?.Any(char.IsControl) == true)
            return ApiProblems.BadRequest("Invalid 'by'", $"'by' names who acts: at most {MaxByLength} characters, no control characters.");
        if (target.Length > 253 || target.Any(char.IsControl))
            return ApiProblems.BadRequest("Invalid name", "A zone or repair id is at most 253 characters, without control characters.");
        var command = new RepairOperatorCommand(kind, by is { Length: > 0 } ? by : "operator", target, note ?? "");
        return await Ask<RepairCommandAnswer>(governor, command, answer => answer.Found
            ? Results.Ok(new RepairCommandView(answer.Changed, answer.Detail))
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: answer.Detail), cancellation);
    }

    private static async Task<IResult> Ask<T>(IRequiredActor<RepairGovernor> governor, object message, Func<T, IResult> answer, CancellationToken cancellation)
    {
        try
        {
            var singleton = await governor.GetAsync(cancellation);
            return answer(await singleton.Ask<T>(message, QueryTimeout, cancellation));
        }
        catch (AskTimeoutException)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Repair governor unavailable",
                detail: $"The repair governor did not answer within {QueryTimeout.TotalSeconds:0}s (it moves to another coordinator on failover); retry.");
        }
    }
}

/// <summary>An operator call's answer: whether it changed anything, and what happened.</summary>
public sealed record RepairCommandView(bool Changed, string Detail);

/// <summary>
/// The answer of GET /api/repairs: <see cref="Mode"/> Off lists no decisions; <see cref="PolicyProblem"/> says why a
/// policy edit was refused; <see cref="Repairs"/> are the repairs carried out (newest first), <see cref="Paused"/> the operator pause,
/// <see cref="PausedNodes"/> the nodes an operator paused one by one.
/// </summary>
public sealed record RepairListView(string Mode, string Policy, string? PolicyProblem, RepairPauseView? Paused,
    IReadOnlyList<RepairDecisionView> Decisions, IReadOnlyList<RepairRunView> Repairs, IReadOnlyList<RepairApprovalView> Approvals,
    IReadOnlyList<RepairNodePauseView> PausedNodes)
{
    public static RepairListView From(RepairList list) => new(list.Mode, list.Policy, list.PolicyProblem is { Length: > 0 } p ? p : null,
        list.Pause is { } pause ? new RepairPauseView(pause.By, Utc(pause.At), pause.Note) : null,
        [.. list.Decisions.OrEmpty().Select(RepairDecisionView.From)],
        [.. list.Runs.OrEmpty().Select(run => RepairRunView.From(run, list.Progress.OrEmpty().FirstOrDefault(p => p.RepairId == run.Started.RepairId)?.Detail))],
        [.. list.Approvals.Select(RepairApprovalView.From)],
        [.. list.PausedNodes.Select(RepairNodePauseView.From)]);

    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);
}

public sealed record RepairPauseView(string By, DateTime Since, string Note);

/// <summary>A node an operator paused: no new repair of it starts until resumed (one running goes on).</summary>
public sealed record RepairNodePauseView(string Node, string By, DateTime Since, string Note)
{
    public static RepairNodePauseView From(RepairNodePausedByOperator p) => new(p.Node, p.By, DateTime.SpecifyKind(p.RecordedAt, DateTimeKind.Utc), p.Note);
}

/// <summary>An operator's approval not used yet: the node's next repair by <see cref="Action"/> may start on it.</summary>
public sealed record RepairApprovalView(string Node, string Condition, string Action, string By, DateTime ApprovedAt, string Note)
{
    public static RepairApprovalView From(RepairApprovedByOperator a) =>
        new(a.Node, a.Condition, a.Action.ToString(), a.By, DateTime.SpecifyKind(a.RecordedAt, DateTimeKind.Utc), a.Note);
}

/// <summary>
/// One repair: <see cref="State"/> is InFlight, Succeeded, Failed or Cancelled; <see cref="Now"/> what a running one
/// does (the step running, why it waits); its steps done, and how it ended.
/// </summary>
public sealed record RepairRunView(
    string Id, string Node, string Pool, string Zone, string Condition, string Reason, string Action, string State, string? Now,
    DateTime StartedAt, DateTime? EndedAt, string? EndedBy, string? Outcome, IReadOnlyList<RepairStepView> Steps)
{
    public static RepairRunView From(RepairRunState run, string? now)
    {
        var s = run.Started;
        var end = run.Ended;
        return new RepairRunView(s.RepairId, s.Node, s.Pool, s.Zone, s.Condition, s.Reason, s.Action.ToString(), end?.Outcome ?? "InFlight",
            end is null ? now : null, Utc(s.RecordedAt), end is null ? null : Utc(end.RecordedAt), end?.By is { Length: > 0 } by ? by : null, end?.Detail,
            [.. run.Steps.OrEmpty().Select(step => new RepairStepView(step.Step, Utc(step.RecordedAt), step.Detail))]);
    }

    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);
}

public sealed record RepairStepView(string Step, DateTime DoneAt, string Detail);

/// <summary>
/// One node's latest decision. <see cref="State"/> is the verdict (Start, Wait, Deny, NoAction, InFlight); in DryRun a
/// Start says what would start. <see cref="DecidedAt"/> is when this verdict and explanation were first reached.
/// </summary>
public sealed record RepairDecisionView(
    string Node, string Pool, string Zone, string Condition, string Reason, string Action, string State, string? Denial, bool DryRun,
    DateTime DecidedAt, DateTime? NotBefore, RepairExplanationView Explanation)
{
    public static RepairDecisionView From(RepairDecisionRecorded d) => new(
        d.Node, d.Pool, d.Zone, d.Condition, d.Reason, d.Action.ToString(), d.Verdict, d.Denial is "None" or "" ? null : d.Denial, d.DryRun,
        Utc(d.RecordedAt), d.NotBefore is { } at ? Utc(at) : null,
        new RepairExplanationView(d.Explanation, d.Rule, d.Clause,
            [.. d.Findings.OrEmpty().Select(f => new RepairFindingView(f.Condition, f.Status.ToString(), f.Reason, Utc(f.Since),
                Duration.Text(f.Wait), f.Action.ToString(), f.WaitClause, f.ActionClause))],
            d.Budget is { } b ? new RepairBudgetView(b.Pool, b.PoolNodes, b.PoolUnhealthy, b.PoolUnhealthyLimit, b.PoolInFlight, b.PoolParallelLimit,
                b.FleetInFlight, b.FleetParallelLimit, b.Zone, b.ZoneBreaker, b.MaintenanceWindow) : null));

    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);
}

/// <summary><see cref="Text"/> is what a person reads; the rest is the same in structure.</summary>
public sealed record RepairExplanationView(string Text, string Rule, string Clause, IReadOnlyList<RepairFindingView> Findings, RepairBudgetView? Budget);

public sealed record RepairFindingView(string Condition, string Status, string Reason, DateTime Since, string Wait, string Action, string WaitClause, string ActionClause);

public sealed record RepairBudgetView(
    string Pool, int PoolNodes, int PoolUnhealthy, string PoolUnhealthyLimit, int PoolInFlight, int PoolParallelLimit,
    int FleetInFlight, int FleetParallelLimit, string Zone, string ZoneBreaker, string MaintenanceWindow);

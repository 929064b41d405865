using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Yaml;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Repair;
using NodeHealth.Coordinator.Api;

namespace NodeHealth.Coordinator.Repair;

/// <summary>GET /api/repairs: the governor's latest decision per node with its explanation, from the singleton wherever it runs.</summary>
public static class RepairApi
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapRepairApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/repairs", async (string? node, IRequiredActor<RepairGovernor> governor, CancellationToken cancellation) =>
        {
            if (node is not null && !NodeNames.IsValid(node))
                return ApiProblems.InvalidNodeName();
            try
            {
                var singleton = await governor.GetAsync(cancellation);
                var list = await singleton.Ask<RepairList>(new GetRepairs(node ?? ""), QueryTimeout, cancellation);
                return Results.Ok(RepairListView.From(list));
            }
            catch (AskTimeoutException)
            {
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Repair governor unavailable",
                    detail: $"The repair governor did not answer within {QueryTimeout.TotalSeconds:0}s (it moves to another coordinator on failover); retry.");
            }
        });
        return app;
    }
}

/// <summary>The answer of GET /api/repairs: <see cref="Mode"/> Off lists nothing; <see cref="PolicyProblem"/> says why a policy edit was refused.</summary>
public sealed record RepairListView(string Mode, string Policy, string? PolicyProblem, IReadOnlyList<RepairDecisionView> Decisions)
{
    public static RepairListView From(RepairList list) => new(list.Mode, list.Policy, list.PolicyProblem is { Length: > 0 } p ? p : null,
        [.. list.Decisions.OrEmpty().Select(RepairDecisionView.From)]);
}

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

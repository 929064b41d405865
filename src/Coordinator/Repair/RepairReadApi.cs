using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Repair;
using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.Api.OpenApi;

namespace NodeHealth.Coordinator.Repair;

/// <summary>
/// The repairs' read side beyond GET /api/repairs: the queue (nodes repair will act on, or will not and why, and the
/// repairs running), the history of ended repairs (paged, newest first), and the budgets now: each pool's counts and
/// limits, the fleet's parallel limit, each zone's storm breaker and the operator pause.
/// </summary>
public static class RepairReadApi
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapRepairReadSide(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/repairs/queue", async (HttpRequest request, IRequiredActor<RepairGovernor> governor, CancellationToken cancellation) =>
        {
            if (QueryCheck.Unknown(request) is { } unknown)
                return unknown;
            return await Governor(governor, cancellation, list => Results.Ok(RepairQueueView.From(list)));
        }).Documented(ApiDocs.Repairs, "The repair queue",
            "The nodes repair will act on (Start; Wait until notBefore) or will not (Deny, with the budget, window, pause or opt-out that stops it; NoAction), "
            + "soonest first, and the repairs running.", StatusCodes.Status400BadRequest, ApiDocs.Unavailable)
          .Produces<RepairQueueView>();

        app.MapGet("/api/repairs/history", async (string? node, string? limit, string? cursor, HttpRequest request,
            IRequiredActor<RepairGovernor> governor, CancellationToken cancellation) =>
        {
            if (QueryCheck.Unknown(request, "node", "limit", "cursor") is { } unknown)
                return unknown;
            if (node is not null && !NodeNames.IsValid(node))
                return ApiProblems.InvalidNodeName();
            var (paging, problem) = Paging.Parse(limit, cursor, RepairHistoryKey.IsValid);
            if (paging is null)
                return ApiProblems.BadRequest("Invalid paging", problem!);
            return await Governor(governor, cancellation, list =>
            {
                var ended = list.Runs.OrEmpty().Where(r => r.Ended is not null && (node is null || r.Started.Node == node))
                    .OrderBy(RepairHistoryKey.Of, StringComparer.Ordinal);
                var (page, next) = paging.Apply(ended, RepairHistoryKey.Of);
                Paging.Announce(request.HttpContext.Response, next);
                return Results.Ok(page.Select(r => RepairRunView.From(r, null)));
            });
        }).Documented(ApiDocs.Repairs, "Ended repairs",
            "Repairs that ended (Succeeded, Failed, Cancelled), newest first, with their steps; paged like GET /api/nodes.",
            StatusCodes.Status400BadRequest, ApiDocs.Unavailable)
          .Produces<IEnumerable<RepairRunView>>();

        app.MapGet("/api/repairs/budgets", async (HttpRequest request, IRequiredActor<RepairGovernor> governor, IRequiredActor<FleetView> fleet,
            RepairPolicyHolder policies, INodeLabelSource labels, CancellationToken cancellation) =>
        {
            if (QueryCheck.Unknown(request) is { } unknown)
                return unknown;
            var nodes = await (await fleet.GetAsync(cancellation)).Ask<FleetView.NodeList>(FleetView.ListNodes.Instance, QueryTimeout, cancellation);
            return await Governor(governor, cancellation, list => Results.Ok(RepairBudgetsView.From(policies.Current, FleetInput.From(nodes.Nodes, labels), list)));
        }).Documented(ApiDocs.Repairs, "Budgets and breakers",
            "Each pool now (nodes, unhealthy, in flight, its limits and whether they stop repair), the fleet's parallel limit, each zone's storm breaker and the operator pause.",
            StatusCodes.Status400BadRequest, ApiDocs.Unavailable)
          .Produces<RepairBudgetsView>();
        return app;
    }

    private static async Task<IResult> Governor(IRequiredActor<RepairGovernor> governor, CancellationToken cancellation, Func<RepairList, IResult> answer)
    {
        try
        {
            return answer(await (await governor.GetAsync(cancellation)).Ask<RepairList>(new GetRepairs(), QueryTimeout, cancellation));
        }
        catch (AskTimeoutException)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Repair governor unavailable",
                detail: $"The repair governor did not answer within {QueryTimeout.TotalSeconds:0}s (it moves to another coordinator on failover); retry.");
        }
    }
}

/// <summary>Ended repairs newest first as an ordinal key: inverted start ticks, then the repair id.</summary>
public static class RepairHistoryKey
{
    public static string Of(RepairRunState run) =>
        $"{DateTime.MaxValue.Ticks - DateTime.SpecifyKind(run.Started.RecordedAt, DateTimeKind.Utc).Ticks:D19}|{run.Started.RepairId}";

    public static bool IsValid(string key) =>
        key.Length is > 20 and <= 300 && key[19] == '|' && key[..19].All(char.IsAsciiDigit) && !key[20..].Any(char.IsControl);
}

/// <summary>
/// What repair will do next: <see cref="Waiting"/> are the nodes with a decision (Start, Wait with its NotBefore, Deny
/// with why, NoAction), soonest first; <see cref="Running"/> the repairs in flight, oldest first.
/// </summary>
public sealed record RepairQueueView(string Mode, RepairPauseView? Paused, IReadOnlyList<RepairDecisionView> Waiting, IReadOnlyList<RepairRunView> Running)
{
    public static RepairQueueView From(RepairList list)
    {
        var all = RepairListView.From(list);
        return new RepairQueueView(all.Mode, all.Paused,
            [.. all.Decisions.Where(d => d.State != "InFlight").OrderBy(d => d.NotBefore ?? d.DecidedAt).ThenBy(d => d.Node, StringComparer.Ordinal)],
            [.. all.Repairs.Where(r => r.State == "InFlight").OrderBy(r => r.StartedAt)]);
    }
}

/// <summary>The budgets now, counted as the governor counts them: each pool, the fleet, each zone's breaker, the pause.</summary>
public sealed record RepairBudgetsView(string Mode, string Policy, RepairPauseView? Paused, int FleetInFlight, int FleetParallelLimit,
    IReadOnlyList<PoolBudgetView> Pools, IReadOnlyList<ZoneBreakerView> Zones)
{
    public static RepairBudgetsView From(RepairPolicy policy, FleetSnapshot fleet, RepairList list)
    {
        var inFlight = list.Runs.OrEmpty().Where(r => r.Ended is null).Select(r => new RepairRecord(r.Started.RepairId, r.Started.Node, r.Started.Pool ?? "",
            r.Started.Zone ?? "", r.Started.Condition, r.Started.Reason ?? "", r.Started.Action, GovernorRecords.Utc(r.Started.RecordedAt))).ToList();
        var pools = RepairDecider.PoolCounts(policy, fleet.Nodes.OrEmpty(), fleet.Healthy.OrEmpty(), inFlight).Values.OrderBy(p => p.Pool, StringComparer.Ordinal).Select(pool =>
        {
            var budget = policy.Budgets.For(pool.Pool);
            return new PoolBudgetView(pool.Pool, pool.Nodes, pool.Unhealthy, pool.InFlight, budget.UnhealthyLimitText, PoolBudgets.ParallelLimit(budget, pool),
                PoolBudgets.UnhealthyStop(budget, pool), budget.Origin);
        });
        var all = RepairListView.From(list);
        return new RepairBudgetsView(all.Mode, all.Policy, all.Paused, inFlight.Count, policy.Budgets.MaxParallelTotal, [.. pools],
            [.. list.Zones.OrEmpty().OrderBy(z => z.Zone, StringComparer.Ordinal).Select(z => new ZoneBreakerView(z.Zone, z.TrippedAt is null ? "Closed" : "Tripped",
                Utc(z.TrippedAt), z.TrippedAt is null ? null : z.TripCause, Utc(z.ResumedAt)))]);
    }

    private static DateTime? Utc(DateTime? at) => at is { } value ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : null;
}

/// <summary>One pool now: <see cref="Stopped"/> says why repair in it stops (too many unhealthy), null while it may go on.</summary>
public sealed record PoolBudgetView(string Pool, int Nodes, int Unhealthy, int InFlight, string UnhealthyLimit, int ParallelLimit, string? Stopped, string Origin);

/// <summary>A zone's storm breaker: Tripped (new repairs in the zone wait) since when and why, or Closed (last resumed when).</summary>
public sealed record ZoneBreakerView(string Zone, string State, DateTime? TrippedAt, string? Cause, DateTime? ResumedAt);

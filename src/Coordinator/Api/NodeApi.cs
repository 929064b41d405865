using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using Microsoft.AspNetCore.Mvc;
using NodeHealth.Coordinator.Kubernetes.Nodes;
using NodeHealth.Coordinator.Security;
using NodeHealth.Coordinator.Api.OpenApi;

namespace NodeHealth.Coordinator.Api;

/// <summary>GET /api/nodes (filters, paging), GET /api/fleet/summary, GET /api/nodes/{name}, and clearing a fault (operator token required).</summary>
public static class NodeApi
{
    public const int MaxNoteLength = 256;
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapNodeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/nodes", async (string? condition, string? status, string? pool, string? zone, [FromQuery] string[]? label, string? reason,
            string? limit, string? cursor, HttpRequest request, IRequiredActor<FleetView> fleet, NodeDirectory directory, CancellationToken cancellation) =>
        {
            if (QueryCheck.Unknown(request, "condition", "status", "pool", "zone", "label", "reason", "limit", "cursor") is { } unknown)
                return unknown;
            var (filter, problem) = FleetFilter.Parse(condition, status, pool, zone, label, reason);
            if (filter is null)
                return ApiProblems.BadRequest("Invalid filter", problem!);
            var (paging, pagingProblem) = Paging.Parse(limit, cursor, NodeNames.IsValid);
            if (paging is null)
                return ApiProblems.BadRequest("Invalid paging", pagingProblem!);
            if (await Fleet(fleet, cancellation) is not { } list)
                return FleetUnavailable();
            var nodes = directory.Nodes;
            var (page, next) = paging.Apply(list.Nodes.Where(n => filter.Matches(n, nodes.GetValueOrDefault(n.NodeName))), n => n.NodeName);
            Paging.Announce(request.HttpContext.Response, next);
            return Results.Ok(page.Select(n => NodeSummaryView.From(n, nodes.GetValueOrDefault(n.NodeName))));
        }).Documented(ApiDocs.Nodes, "List the fleet's nodes",
            "Every node the fleet view knows, by name, with its conditions and where it sits (pool, zone, labels: from its Node object). "
            + "Filters combine (all must hold). With limit, a page: the X-Next-Cursor header (and Link rel=next) says where the next one starts. "
            + "400: an unknown query parameter, an invalid filter, limit or cursor.",
            StatusCodes.Status400BadRequest, ApiDocs.Unavailable)
          .Produces<IEnumerable<NodeSummaryView>>();

        app.MapGet("/api/fleet/summary", async (HttpRequest request, IRequiredActor<FleetView> fleet, NodeDirectory directory, CancellationToken cancellation) =>
        {
            if (QueryCheck.Unknown(request) is { } unknown)
                return unknown;
            return await Fleet(fleet, cancellation) is { } list ? Results.Ok(FleetSummary.Of(list.Nodes, directory.Find)) : FleetUnavailable();
        }).Documented(ApiDocs.Fleet, "Count the fleet",
            "How many nodes, by worst status (Healthy, Unhealthy: a condition False, Unknown), by condition and status, by active fault reason, by pool and by zone.",
            StatusCodes.Status400BadRequest, ApiDocs.Unavailable)
          .Produces<FleetSummary>();

        app.MapGet("/api/nodes/{name}", (string name, IRequiredActor<FleetView> fleet, IRequiredActor<NodeHealthRegion> region, CancellationToken cancellation) =>
            AskEntity(fleet, region, new GetNodeHealth(name), cancellation))
            .Documented(ApiDocs.Nodes, "One node in full",
                "Its conditions with their active faults, its monitors, recent findings and events, agent silence and Node object. 404: no agent ever reported for it.",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, ApiDocs.Unavailable)
            .Produces<NodeView>();

        app.MapDelete("/api/nodes/{name}/conditions/{condition}/faults/{reason}", (
            string name, string condition, string reason, string? note, HttpRequest request, OperatorToken token,
            IRequiredActor<FleetView> fleet, IRequiredActor<NodeHealthRegion> region, CancellationToken cancellation) =>
        {
            if (token.Check(request.Headers.Authorization) is { } problem)
                return Task.FromResult(ApiProblems.OperatorTokenRequired(request, problem));

            if (ConditionTypes.All.FirstOrDefault(t => t.ToString() == condition) is var type && type == ConditionType.Unknown)
                return Task.FromResult(ApiProblems.BadRequest("Unknown condition", $"'{Clip(condition)}' is not one of {string.Join(", ", ConditionTypes.All)}."));
            if (note is { Length: > MaxNoteLength })
                return Task.FromResult(ApiProblems.BadRequest("Note too long", $"The note is limited to {MaxNoteLength} characters."));
            return AskEntity(fleet, region, new ClearFault(name, type, reason, note ?? ""), cancellation);
        }).Documented(ApiDocs.Nodes, "Clear an active fault (operator)",
            "Clears a fault whose recovery is manual (or any active one) and answers the node. Needs the operator token (Authorization: Bearer). "
            + "404: the node is unknown or has no such active fault.",
            StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, ApiDocs.Unavailable)
          .Produces<NodeView>();

        return app;
    }

    /// <summary>
    /// Asks the node's entity and turns its answer into the node view or a problem. A node the fleet
    /// view has never seen is answered from the view: starting its entity would be a write (remember-entities).
    /// </summary>
    private static async Task<IResult> AskEntity(
        IRequiredActor<FleetView> fleet, IRequiredActor<NodeHealthRegion> region, IWithNodeName message, CancellationToken cancellation)
    {
        var name = message.NodeName;
        if (!NodeNames.IsValid(name))
            return ApiProblems.InvalidNodeName();

        object reply;
        try
        {
            var view = await fleet.GetAsync(cancellation);
            if (await view.Ask<object>(new FleetView.FindNode(name), QueryTimeout, cancellation) is FleetView.NodeUnknown)
                return UnknownNode(name);
            var entities = await region.GetAsync(cancellation);
            reply = await entities.Ask<object>(message, QueryTimeout, cancellation);
        }
        catch (AskTimeoutException)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Node state unavailable",
                detail: $"The coordinator did not answer for node {name} within {QueryTimeout.TotalSeconds:0}s; retry.");
        }

        return reply switch
        {
            NodeHealthState state => Results.Ok(NodeView.From(state)),
            NodeNotFound => UnknownNode(name),
            FaultNotActive f => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such active fault",
                detail: $"Node '{name}' has no active fault {f.Condition}/{Clip(f.Reason)}."),
            _ => Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected reply"),
        };
    }

    /// <summary>The fleet view's nodes, or null when it did not answer in time.</summary>
    private static async Task<FleetView.NodeList?> Fleet(IRequiredActor<FleetView> fleet, CancellationToken cancellation)
    {
        try
        {
            return await (await fleet.GetAsync(cancellation)).Ask<FleetView.NodeList>(FleetView.ListNodes.Instance, QueryTimeout, cancellation);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    private static IResult FleetUnavailable() => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Fleet view unavailable",
        detail: $"The fleet view did not answer within {QueryTimeout.TotalSeconds:0}s; retry.");

    private static IResult UnknownNode(string name) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown node", detail: $"No agent has reported for node '{name}'.");

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

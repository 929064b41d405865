using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using Microsoft.AspNetCore.Mvc;
using NodeHealth.Coordinator.Kubernetes.Nodes;
using NodeHealth.Coordinator.Security;

namespace NodeHealth.Coordinator.Api;

/// <summary>GET /api/nodes, GET /api/nodes/{name}, and clearing a fault (operator token required).</summary>
public static class NodeApi
{
    public const int MaxNoteLength = 256;
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapNodeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/nodes", async (string? condition, string? status, string? pool, string? zone, [FromQuery] string[]? label,
            IRequiredActor<FleetView> fleet, NodeDirectory directory, CancellationToken cancellation) =>
        {
            var (filter, problem) = FleetFilter.Parse(condition, status, pool, zone, label);
            if (filter is null)
                return ApiProblems.BadRequest("Invalid filter", problem!);
            var view = await fleet.GetAsync(cancellation);
            var list = await view.Ask<FleetView.NodeList>(FleetView.ListNodes.Instance, QueryTimeout, cancellation);
            var nodes = directory.Nodes;
            return Results.Ok(list.Nodes.Where(n => filter.Matches(n, nodes.GetValueOrDefault(n.NodeName)))
                .Select(n => NodeSummaryView.From(n, nodes.GetValueOrDefault(n.NodeName))));
        });

        app.MapGet("/api/nodes/{name}", (string name, IRequiredActor<FleetView> fleet, IRequiredActor<NodeHealthRegion> region, CancellationToken cancellation) =>
            AskEntity(fleet, region, new GetNodeHealth(name), cancellation));

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
        });

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

    private static IResult UnknownNode(string name) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown node", detail: $"No agent has reported for node '{name}'.");

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

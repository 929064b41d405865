using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Coordinator.Api;

/// <summary>GET /api/nodes and GET /api/nodes/{name}.</summary>
public static class NodeApi
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapNodeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/nodes", async (IRequiredActor<FleetView> fleet, CancellationToken cancellation) =>
        {
            var view = await fleet.GetAsync(cancellation);
            var list = await view.Ask<FleetView.NodeList>(FleetView.ListNodes.Instance, QueryTimeout, cancellation);
            return Results.Ok(list.Nodes.Select(NodeSummaryView.From));
        });

        app.MapGet("/api/nodes/{name}", async (string name, IRequiredActor<NodeHealthRegion> region, CancellationToken cancellation) =>
        {
            if (!NodeNames.IsValid(name))
                return Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid node name",
                    detail: "A node name is a Kubernetes DNS subdomain: lowercase letters, digits, '-' and '.', at most 253 characters.");

            var entities = await region.GetAsync(cancellation);
            object reply;
            try
            {
                reply = await entities.Ask<object>(new GetNodeHealth(name), QueryTimeout, cancellation);
            }
            catch (AskTimeoutException)
            {
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Node state unavailable",
                    detail: $"The coordinator did not answer for node {name} within {QueryTimeout.TotalSeconds:0}s; retry.");
            }

            return reply switch
            {
                NodeHealthState state => Results.Ok(NodeView.From(state)),
                NodeNotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown node",
                    detail: $"No agent has reported for node '{name}'."),
                _ => Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected reply"),
            };
        });

        return app;
    }
}

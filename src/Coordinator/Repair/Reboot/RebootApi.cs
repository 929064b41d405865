using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Wire;
using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.Security;
using NodeHealth.Coordinator.Api.OpenApi;

namespace NodeHealth.Coordinator.Repair.Reboot;

/// <summary>
/// POST /api/nodes/{name}/reboot?id=…: an operator reboots a node through its agent, as a repair's reboot step does
/// (operator token required; no budget is consulted: this is the operator's own decision). The id makes it idempotent:
/// posting it again answers how that reboot went and never reboots twice. 200 Done, 202 Retry (waiting for the agent),
/// 409 Failed (refused or failed on the node).
/// </summary>
public static class RebootApi
{
    public static IEndpointRouteBuilder MapRebootApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/nodes/{name}/reboot", async (string name, string? id, HttpRequest request, OperatorToken token,
            INodeRebooter rebooter, CancellationToken cancellation) =>
        {
            if (token.Check(request.Headers.Authorization) is { } problem)
            {
                request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Operator token required", detail: problem,
                    extensions: new Dictionary<string, object?> { ["hint"] = "the token is in the coordinator's data directory, file operator-token" });
            }

            if (!NodeNames.IsValid(name))
                return ApiProblems.InvalidNodeName();
            if (AgentCommandIds.Problem(id) is { } invalid)
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid reboot id",
                    detail: $"Name the reboot with ?id=… (reused to ask again): {invalid}.");
            var outcome = await rebooter.RebootAsync(name, id!, cancellation);
            var view = new RebootView(name, id!, outcome.Status.ToString(), outcome.Detail);
            return outcome.Status switch
            {
                StepStatus.Done => Results.Ok(view),
                StepStatus.Retry => Results.Json(view, statusCode: StatusCodes.Status202Accepted),
                _ => Results.Json(view, statusCode: StatusCodes.Status409Conflict),
            };
        }).Documented(ApiDocs.Nodes, "Reboot a node through its agent (operator)",
            "Idempotent by id. 200 Done, 202 Retry (waiting for the agent: post the same id again), 409 Failed. Needs the operator token.",
            StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized)
          .Produces<RebootView>().Produces<RebootView>(StatusCodes.Status202Accepted).Produces<RebootView>(StatusCodes.Status409Conflict);
        return app;
    }
}

/// <summary>The answer of POST /api/nodes/{name}/reboot: <see cref="Status"/> Done, Retry or Failed, and what happened.</summary>
public sealed record RebootView(string Node, string Id, string Status, string Detail);

using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using NodeHealth.Actors.Fleet;
using NodeHealth.Coordinator.Api.OpenApi;

namespace NodeHealth.Coordinator.Api;

/// <summary>/healthz (the process answers) and /readyz (a cluster member whose fleet view has caught up with the journal).</summary>
public static class Probes
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapProbes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok("ok"))
            .Documented(ApiDocs.Probes, "Liveness", "200 while the process answers.").Produces<string>();
        app.MapGet("/readyz", async (ActorSystem system, IRequiredActor<FleetView> fleet, CancellationToken cancellation) =>
        {
            if (Akka.Cluster.Cluster.Get(system).SelfMember.Status != MemberStatus.Up)
                return NotReady("Not a cluster member yet");
            try
            {
                var view = await (await fleet.GetAsync(cancellation)).Ask<FleetView.ViewStatus>(FleetView.GetStatus.Instance, AskTimeout, cancellation);
                return view.CaughtUp ? Results.Ok("ready") : NotReady($"The fleet view is still reading the journal (offset {view.Offset}, {view.Nodes} nodes)");
            }
            catch (AskTimeoutException)
            {
                return NotReady("The fleet view did not answer");
            }
        }).Documented(ApiDocs.Probes, "Readiness", "200 once this coordinator is a cluster member (Up) and its fleet view has read the whole journal; 503 with why until then.",
            StatusCodes.Status503ServiceUnavailable).Produces<string>();
        return app;
    }

    private static IResult NotReady(string title) => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title);
}

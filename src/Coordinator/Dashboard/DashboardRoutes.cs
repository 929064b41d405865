using Akka.Hosting;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Health;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Contracts;
using NodeHealth.Coordinator.History;
using NodeHealth.Coordinator.Kubernetes.Nodes;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>
/// The dashboard, served by the coordinator itself: server-rendered pages for the fleet, a node, repairs and simulation
/// reports, kept live by the API's event stream. Operator actions call the API with the operator token.
/// </summary>
public static class DashboardRoutes
{
    public const string Fleet = "/dashboard";
    public const string Repairs = "/dashboard/repairs";
    public const string Simulations = "/dashboard/simulations";
    public const string Assets = "/dashboard/assets";

    /// <summary>The API's live event stream (Server-Sent Events), used when this coordinator maps it.</summary>
    public const string EventStream = "/api/events/stream";

    public static string Node(string name) => $"/dashboard/nodes/{Uri.EscapeDataString(name)}";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect(Fleet)).ExcludeFromDescription();
        var dashboard = app.MapGroup(Fleet).ExcludeFromDescription();
        dashboard.MapGet("", async (DashboardServices services, CancellationToken cancellation) =>
        {
            var reader = services.Reader;
            var nodes = await reader.NodesAsync(cancellation);
            var repairs = await reader.RepairsAsync("", cancellation);
            var budgets = await reader.BudgetsAsync(cancellation);
            var now = services.Now;
            return Layout.Page("fleet", "Fleet", FleetPage.Render(nodes, repairs, budgets, now), services.Events, now);
        });
        dashboard.MapGet("/nodes/{name}", async (string name, DashboardServices services, CancellationToken cancellation) =>
        {
            var now = services.Now;
            if (!NodeNames.IsValid(name))
                return Layout.Page("node", "Invalid node name", NodePage.Missing(name, "is not a node name (a Kubernetes DNS subdomain)"), services.Events, now, status: 400);
            var reader = services.Reader;
            var (answer, view) = await reader.NodeAsync(name, cancellation);
            if (answer != NodeAnswer.Found)
                return Layout.Page("node", name, NodePage.Missing(name, answer == NodeAnswer.Unknown
                    ? "is not known: no agent has reported for it"
                    : "did not answer in time (its coordinator may be moving it); the page retries"), services.Events, now, name,
                    answer == NodeAnswer.Unknown ? 404 : 503);
            var repairs = await reader.RepairsAsync(name, cancellation);
            var timeline = await reader.TimelineAsync(name, cancellation);
            return Layout.Page("node", name, NodePage.Render(view!, reader.Facts(name), repairs, timeline, now), services.Events, now, name);
        });
        dashboard.MapGet("/repairs", async (DashboardServices services, CancellationToken cancellation) =>
        {
            var repairs = await services.Reader.RepairsAsync("", cancellation);
            var budgets = await services.Reader.BudgetsAsync(cancellation);
            var now = services.Now;
            return Layout.Page("repairs", "Repairs", RepairsPage.Render(repairs, budgets, now), services.Events, now);
        });
        dashboard.MapGet("/simulations", (DashboardServices services) =>
            Layout.Page("simulations", "Simulations", SimulationsPage.Render(services.Serves(SimulationsPage.Api)), null, services.Now, live: false));
        dashboard.MapGet("/assets/{file}", (string file, HttpResponse response) => DashboardAssets.Serve(file, response));
        return app;
    }

    /// <summary>What every page handler needs, resolved per request from the coordinator's services.</summary>
    internal sealed class DashboardServices(DashboardReader reader, TimeProvider clock, EndpointDataSource endpoints)
    {
        public DashboardReader Reader => reader;

        public DateTime Now => clock.GetUtcNow().UtcDateTime;

        /// <summary>The event stream's path when the API maps it (it arrives with the read API), else null.</summary>
        public string? Events => Serves(EventStream) ? EventStream : null;

        /// <summary>Whether this coordinator maps <paramref name="path"/> (the event stream and the simulator arrive with their own rooms).</summary>
        public bool Serves(string path) => endpoints.Endpoints.OfType<RouteEndpoint>().Any(e => e.RoutePattern.RawText == path);

        public static ValueTask<DashboardServices> BindAsync(HttpContext context)
        {
            var s = context.RequestServices;
            var reader = new DashboardReader(
                s.GetRequiredService<IRequiredActor<FleetView>>(), s.GetRequiredService<IRequiredActor<NodeHealthRegion>>(),
                s.GetRequiredService<IRequiredActor<RepairGovernor>>(), s.GetRequiredService<NodeDirectory>(),
                s.GetRequiredService<RepairPolicyHolder>(), s.GetRequiredService<INodeLabelSource>(), s.GetRequiredService<JournalHistory>());
            return ValueTask.FromResult(new DashboardServices(reader, s.GetRequiredService<TimeProvider>(), s.GetRequiredService<EndpointDataSource>()));
        }
    }
}

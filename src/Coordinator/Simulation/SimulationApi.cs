using System.Text;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Simulation;
using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.Api.OpenApi;

namespace NodeHealth.Coordinator.Simulation;

/// <summary>
/// POST /api/simulations: the body is a scenario (YAML, policies inline), the answer the report as JSON, or as the HTML
/// report when the request accepts text/html. Bounded so a hostile request cannot take the coordinator down: the body's
/// size, the fleet and its days, one simulation at a time, and a time limit; the catalog is the one in force.
/// </summary>
public static class SimulationApi
{
    public static readonly ScenarioLimits Limits = new(MaxNodeDays: 2_000L * 365, MaxNodes: 10_000, AllowPolicyFiles: false);
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(30);
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static IEndpointRouteBuilder MapSimulations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/simulations", async (HttpRequest request, ulong? seed, RepairGovernorSettings settings, CancellationToken cancellation) =>
        {
            var (yaml, problem) = await ReadBody(request, cancellation);
            if (problem is not null)
                return problem;
            Scenario scenario;
            try
            {
                scenario = ScenarioParser.Parse("request", yaml!, settings.Catalog(), directory: null, Limits);
            }
            catch (ScenarioException e)
            {
                return ApiProblems.BadRequest("Invalid scenario", e.Message);
            }

            if (seed is { } s)
                scenario = scenario with { Seed = s };
            if (!await OneAtATime.WaitAsync(TimeSpan.Zero, cancellation))
                return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "A simulation is running",
                    detail: "This coordinator runs one simulation at a time; try again when it has finished.");
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                limit.CancelAfter(TimeLimit);
                var report = await Task.Run(() => Actors.Simulation.Simulator.Run(scenario, settings.Catalog(), cancel: limit.Token), limit.Token);
                return WantsHtml(request)
                    ? Results.Content(SimulationHtml.Write(report), "text/html; charset=utf-8")
                    : Results.Content(SimulationJson.Write(report), "application/json; charset=utf-8");
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Simulation too long",
                    detail: $"The simulation did not finish within {TimeLimit.TotalSeconds:0} s; simulate fewer nodes or days, or run `coordinator simulate` offline.");
            }
            finally
            {
                OneAtATime.Release();
            }
        }).Documented(ApiDocs.Simulations, "Simulate repair policies",
            "Runs the scenario in the body (YAML, docs/simulation.md; policies inline, no policy files) on virtual time through the " +
            "coordinator's own decision code and answers the report: JSON, or the HTML report when Accept asks for text/html. " +
            "`seed` overrides the scenario's seed. One simulation runs at a time (429) and each may take at most 30 s (422).",
            StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status429TooManyRequests)
          .Produces<string>(StatusCodes.Status200OK, "application/json", "text/html");
        return app;
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>The body as UTF-8 text, at most the scenario file limit; invalid UTF-8 is refused, not guessed.</summary>
    private static async Task<(string? Yaml, IResult? Problem)> ReadBody(HttpRequest request, CancellationToken cancellation)
    {
        if (request.ContentLength > ScenarioParser.MaxFileBytes)
            return (null, TooLarge());
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > ScenarioParser.MaxFileBytes)
                return (null, TooLarge());
            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
            return (null, ApiProblems.BadRequest("Invalid scenario", "The body is empty: send a scenario as YAML (docs/simulation.md), with its policies inline (policy: |)."));
        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, ApiProblems.BadRequest("Invalid scenario", "The body is not valid UTF-8."));
        }
    }

    private static IResult TooLarge() => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Scenario too large",
        detail: $"A scenario is at most {ScenarioParser.MaxFileBytes} bytes.");
}

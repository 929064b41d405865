using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NodeHealth.Coordinator.Api.OpenApi;
using NodeHealth.Coordinator.Tests.Api;

namespace NodeHealth.Coordinator.Tests.Api.OpenApi;

/// <summary>
/// The real coordinator (its Program, in process, on SQLite): every endpoint it maps under /api/ and the probes is in
/// /openapi/v1.json with a summary, every parameter described and its errors as problem+json, so an endpoint added
/// without documentation fails here. The reference page and its assets are served from the coordinator itself.
/// </summary>
[Collection(InProcessCoordinatorCollection.Name)]
public sealed class ApiDocumentTests(InProcessCoordinator coordinator)
{
    [Fact]
    public async Task Every_api_endpoint_is_documented_with_a_summary_described_parameters_and_problem_json_errors()
    {
        var document = JsonNode.Parse(await coordinator.Http.GetStringAsync(ApiDocument.DocumentPath))!;
        var mapped = ApiEndpoints(coordinator.Services);

        Assert.NotEmpty(mapped);
        var problems = new List<string>();
        foreach (var (method, path) in mapped)
        {
            var operation = document["paths"]?[path]?[method.ToLowerInvariant()];
            if (operation is null)
            {
                problems.Add($"{method} {path}: not in the document");
                continue;
            }

            if (string.IsNullOrWhiteSpace((string?)operation["summary"]) || string.IsNullOrWhiteSpace((string?)operation["description"]))
                problems.Add($"{method} {path}: no summary or description");
            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
                if (string.IsNullOrWhiteSpace((string?)parameter!["description"]))
                    problems.Add($"{method} {path}: parameter '{parameter["name"]}' is not described (ApiParameters)");
            var responses = operation["responses"]?.AsObject() ?? [];
            if (!responses.Any(r => r.Key.StartsWith('2')))
                problems.Add($"{method} {path}: no success response");
            // An error answers problem+json; the one exception documents its own body (the reboot's 409 Failed carries the reboot's view).
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                if (response?["content"]?["application/problem+json"] is null && response?["content"]?["application/json"]?["schema"] is null)
                    problems.Add($"{method} {path}: {status} is not documented as application/problem+json");
            if (path.StartsWith("/api/", StringComparison.Ordinal) && !responses.Any(r => r.Key[0] is '4' or '5'))
                problems.Add($"{method} {path}: no error documented");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task The_reference_page_and_its_assets_are_served_by_the_coordinator_itself()
    {
        using var page = await coordinator.Http.GetAsync($"/{ApiDocument.PagePrefix}/index.html");
        using var script = await coordinator.Http.GetAsync($"/{ApiDocument.PagePrefix}/swagger-ui-bundle.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger-ui", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000, "the Swagger UI bundle is embedded, not fetched from a CDN");
    }

    /// <summary>The API's routes (under /api/, and the probes) with their methods; gRPC, the document itself and pages are not the API.</summary>
    private static List<(string Method, string Path)> ApiEndpoints(IServiceProvider services) =>
    [
        .. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api/", StringComparison.Ordinal) || raw is "/healthz" or "/readyz"))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e.RoutePattern.RawText!)))
            .Distinct()
            .OrderBy(e => e.Item2, StringComparer.Ordinal),
    ];
}

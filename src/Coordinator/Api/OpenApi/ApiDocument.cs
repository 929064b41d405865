using Microsoft.OpenApi;

namespace NodeHealth.Coordinator.Api.OpenApi;

/// <summary>
/// The OpenAPI document generated from the endpoints (/openapi/v1.json) and a reference page that reads it
/// (/api/docs, Swagger UI's assets embedded in the coordinator: works offline).
/// </summary>
public static class ApiDocument
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string PagePrefix = "api/docs";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) => services.AddOpenApi("v1", options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "node-health coordinator API",
                Version = "v1",
                Description = "The fleet's node health, repairs and history, from the coordinator. Errors are problem+json (RFC 9457). "
                              + "Operator calls need the operator token as a Bearer token. Live updates: GET /api/events/stream (Server-Sent Events).",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in operation.Parameters ?? [])
                if (string.IsNullOrEmpty(parameter.Description) && parameter.Name is { } name && ApiParameters.Descriptions.TryGetValue(name, out var text))
                    parameter.Description = text;
            return Task.CompletedTask;
        });
    });

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath.Replace("v1", "{documentName}")).ExcludeFromDescription();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = PagePrefix;
            ui.SwaggerEndpoint(DocumentPath, "node-health v1");
            ui.DocumentTitle = "node-health API";
        });
        return app;
    }
}

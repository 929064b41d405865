namespace NodeHealth.Coordinator.Api.OpenApi;

/// <summary>One way to document an endpoint: its group, what it does, and the problems (problem+json) it answers.</summary>
public static class ApiDocs
{
    public const string Nodes = "Nodes";
    public const string Fleet = "Fleet";
    public const string Repairs = "Repairs";
    public const string History = "History";
    public const string Live = "Live";
    public const string Probes = "Probes";
    public const string Simulations = "Simulations";

    public static RouteHandlerBuilder Documented(this RouteHandlerBuilder endpoint, string tag, string summary, string description, params int[] problems)
    {
        endpoint.WithTags(tag).WithSummary(summary).WithDescription(description);
        foreach (var status in problems)
            endpoint.ProducesProblem(status);
        return endpoint;
    }

    /// <summary>Every endpoint that reads the actor system can answer 503 while a query times out (a failover, a busy coordinator).</summary>
    public const int Unavailable = StatusCodes.Status503ServiceUnavailable;
}

using Grpc.AspNetCore.Server;
using NodeHealth.Actors.Metrics;
using NodeHealth.Coordinator.Ingest;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace NodeHealth.Coordinator.Metrics;

public static class MetricsWiring
{
    public const string Path = "/metrics";

    /// <summary>
    /// Prometheus <c>/metrics</c> on the HTTP port (OpenTelemetry's exporter over node-health's meters, the in-process
    /// agent's included), the fleet gauges' feed and the ingest error counter. Answers configuration errors.
    /// </summary>
    public static IReadOnlyList<string> AddCoordinatorMetrics(this WebApplicationBuilder builder)
    {
        var options = MetricsOptions.Bind(builder.Configuration);
        if (options.Validate() is { Count: > 0 } errors)
            return errors;
        builder.Services.AddSingleton(options);
        if (!options.Enabled)
            return [];
        builder.Services.AddPrometheusExport();
        builder.Services.AddHostedService<FleetMetricsFeed>();
        builder.Services.Configure<GrpcServiceOptions>(grpc => grpc.Interceptors.Add<IngestErrorCounter>());
        return [];
    }

    /// <summary>OpenTelemetry's Prometheus exporter over node-health's meters (map it with <see cref="MapMetrics"/>).</summary>
    internal static IServiceCollection AddPrometheusExport(this IServiceCollection services)
    {
        ProcessMetrics.Publish();
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("node-health-coordinator")).WithMetrics(metrics => metrics
            .AddMeter(MeterNames.CoordinatorMeters)
            // Every scrape reads the meters now: tests and alerts see a change at the next scrape, not a cached one.
            .AddPrometheusExporter(exporter =>
            {
                exporter.ScrapeResponseCacheDurationMilliseconds = 0;
                exporter.ScopeInfoEnabled = false; // One meter per series family: otel_scope_* labels would only lengthen every line.
            }));
        return services;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<MetricsOptions>().Enabled)
            return app;
        IngestMetrics.Watch(app.Services.GetRequiredService<IngestStreams>());
        app.MapPrometheusScrapingEndpoint(Path);
        return app;
    }
}

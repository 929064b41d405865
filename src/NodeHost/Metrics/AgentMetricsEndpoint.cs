using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeHealth.Actors.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace NodeHealth.NodeHost.Metrics;

/// <summary>
/// The agent's <c>/metrics</c>: OpenTelemetry's Prometheus exporter on an HttpListener (no web server in the agent:
/// DESIGN §8's footprint), serving the agent's meters. A port it cannot open is logged, naming the setting, and the
/// agent runs on without metrics: detection matters more than its graphs.
/// </summary>
public sealed class AgentMetricsEndpoint(AgentMetricsOptions options, ILogger<AgentMetricsEndpoint> log) : IHostedService, IDisposable
{
    private MeterProvider? _provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ProcessMetrics.Publish();
        var prefix = options.UriPrefix();
        try
        {
            _provider = Sdk.CreateMeterProviderBuilder()
                .ConfigureResource(resource => resource.AddService("node-health-agent"))
                .AddMeter(MeterNames.AgentMeters)
                .AddPrometheusHttpListener(listener =>
                {
                    listener.Host = options.ListenerHost();
                    listener.Port = options.Port;
                    listener.ScrapeEndpointPath = "/metrics";
                    listener.ScopeInfoEnabled = false; // One meter per series family: otel_scope_* labels would only lengthen every line.
                })
                .Build();
            log.LogInformation("Metrics: Prometheus endpoint on {Prefix}metrics", prefix.Replace("+", options.Address, StringComparison.Ordinal));
        }
        catch (Exception e) when (e is HttpListenerException or InvalidOperationException)
        {
            log.LogError("Metrics: cannot listen on {Address}:{Port} ({Problem}); the agent runs without /metrics. Choose a free Agent:Metrics:Port or set Agent:Metrics:Enabled=false",
                options.Address, options.Port, e.Message);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _provider?.Dispose();
        _provider = null;
    }
}

public static class AgentMetricsWiring
{
    /// <summary>The agent's Prometheus endpoint when <see cref="AgentMetricsOptions.Enabled"/>; nothing at all otherwise.</summary>
    public static IServiceCollection AddAgentMetrics(this IServiceCollection services, AgentMetricsOptions options)
    {
        if (!options.Enabled)
            return services;
        services.AddSingleton(options);
        services.AddHostedService<AgentMetricsEndpoint>();
        return services;
    }
}

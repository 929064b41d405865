using Akka.Hosting;
using k8s;
using NodeHealth.Actors.Health;
using NodeHealth.Coordinator.Kubernetes.Conditions;
using NodeHealth.Coordinator.Kubernetes.Events;
using NodeHealth.Coordinator.Kubernetes.Nodes;

namespace NodeHealth.Coordinator.Kubernetes;

public static class KubernetesWiring
{
    /// <summary>
    /// Connects to Kubernetes when there is one (see <see cref="KubernetesConnection"/>): each node's
    /// entity then writes its conditions to the Node, and the node informer fills the <see cref="NodeDirectory"/>
    /// (empty without Kubernetes) and tells each entity its Node's boot id and deletion. Answers configuration errors; none is not an error.
    /// </summary>
    public static IReadOnlyList<string> AddKubernetes(this WebApplicationBuilder builder)
    {
        var options = KubernetesOptions.Bind(builder.Configuration);
        if (options.Validate() is { Count: > 0 } errors)
            return errors;
        KubernetesConnection connection;
        try
        {
            connection = KubernetesConnection.Resolve(options, Environment.GetEnvironmentVariable, KubernetesClientConfiguration.IsInCluster);
        }
        catch (KubernetesConfigException e)
        {
            return [e.Message];
        }

        builder.Services.AddSingleton<NodeDirectory>();
        builder.Services.AddHostedService(services => new KubernetesStartupNote(connection, services.GetRequiredService<ILogger<KubernetesStartupNote>>()));
        if (!connection.IsConnected)
            return [];
        builder.Services.AddSingleton<IKubernetes>(_ => new k8s.Kubernetes(connection.Configuration!, new Metrics.KubernetesRequestMetrics()));
        builder.Services.AddSingleton(services => Api(options, services.GetRequiredService<IKubernetes>(), services.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService(services => new NodeInformer(
            services.GetRequiredService<KubernetesApi>(), services.GetRequiredService<NodeDirectory>(), services.GetRequiredService<ILogger<NodeInformer>>())
        {
            Feed = new NodeEntityFeed(cancellation => services.GetRequiredService<IRequiredActor<NodeHealthRegion>>().GetAsync(cancellation)),
        });
        builder.Services.AddSingleton<INodeStatusExporter>(services => Exporter(options, services.GetRequiredService<KubernetesApi>(), services.GetRequiredService<TimeProvider>()));
        return [];
    }

    public static KubernetesApi Api(KubernetesOptions options, IKubernetes client, TimeProvider clock) =>
        new(client, new RequestBudget(options.Qps, options.Burst, clock), options.RequestTimeout, options.FieldManager);

    public static KubernetesNodeExporter Exporter(KubernetesOptions options, KubernetesApi api, TimeProvider clock) =>
        new(new ConditionWriterSettings(api, clock) { Coalesce = options.Coalesce, HeartbeatEvery = options.HeartbeatEvery },
            new EventRecorderSettings(api, options.EventNamespace, options.ResolvedReportingInstance(), clock));
}

/// <summary>Says once, at startup, whether and where node conditions are written.</summary>
internal sealed class KubernetesStartupNote(KubernetesConnection connection, ILogger<KubernetesStartupNote> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (connection.IsConnected)
            log.LogInformation("Kubernetes: node conditions are written to {Server} (from {Source})", connection.Configuration!.Host, connection.Source);
        else
            log.LogInformation("Kubernetes: none ({Why}); node conditions are kept in the coordinator's API only", connection.Source);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

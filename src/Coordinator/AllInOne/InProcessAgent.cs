using NodeHealth.Coordinator.Security;
using NodeHealth.NodeHost;

namespace NodeHealth.Coordinator.AllInOne;

/// <summary>
/// All-in-one mode: an agent for this machine, in its own host and ActorSystem, talking to this
/// coordinator over the same gRPC stream on loopback as any DaemonSet agent would.
/// </summary>
public sealed class InProcessAgent(
    LocalAgent agent,
    IHostApplicationLifetime lifetime,
    ILogger<InProcessAgent> log) : IHostedService
{

    /// <summary>Agent options from the "Agent" section, defaulted to talk to this coordinator.</summary>
    public static AgentOptions OptionsFor(IConfiguration configuration, CoordinatorOptions coordinator, IngestToken token)
    {
        var options = AgentOptions.Bind(configuration);
        if (configuration.GetSection(AgentOptions.Section)[nameof(AgentOptions.StateDirectory)] is null)
            options.StateDirectory = Path.Combine(coordinator.DataDirectory, "agent");
        options.CoordinatorUrl ??= $"http://{Loopback(coordinator.ListenAddress)}:{coordinator.GrpcPort}";
        if (string.IsNullOrEmpty(options.Token) && string.IsNullOrEmpty(options.TokenFile))
            options.Token = token.Value;
        return options;
    }

    /// <summary>One catalog for both halves of the process: files named for either one serve both.</summary>
    public static void ShareCatalogFiles(CoordinatorOptions coordinator, AgentOptions agent)
    {
        if (coordinator.CatalogFiles.Count == 0)
            coordinator.CatalogFiles = [.. agent.CatalogFiles];
        else if (agent.CatalogFiles.Count == 0)
            agent.CatalogFiles = [.. coordinator.CatalogFiles];
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Start once Kestrel listens, so the agent's first connection attempt succeeds.
        lifetime.ApplicationStarted.Register(() =>
        {
            agent.Host.StartAsync(lifetime.ApplicationStopping).ContinueWith(
                t => log.LogError(t.Exception, "The in-process agent failed to start"),
                TaskContinuationOptions.OnlyOnFaulted);
            log.LogInformation("In-process agent started for node {Node} (turn it off with --no-agent)", agent.NodeName);
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await agent.Host.StopAsync(cancellationToken);
        agent.Host.Dispose();
    }

    private static string Loopback(string listenAddress) =>
        listenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : listenAddress.Contains(':') ? $"[{listenAddress}]" : listenAddress;
}

/// <summary>The all-in-one agent's own host (its ActorSystem), built at startup and run by <see cref="InProcessAgent"/>.</summary>
public sealed record LocalAgent(IHost Host, string NodeName);

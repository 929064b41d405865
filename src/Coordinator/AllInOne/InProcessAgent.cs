using NodeHealth.Coordinator.Ingest;
using NodeHealth.NodeHost;

namespace NodeHealth.Coordinator.AllInOne;

/// <summary>
/// All-in-one mode: an agent for this machine, in its own host and ActorSystem, talking to this
/// coordinator over the same gRPC stream on loopback as any DaemonSet agent would.
/// </summary>
public sealed class InProcessAgent(
    AgentOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<InProcessAgent> log) : IHostedService
{
    private IHost? _agent;

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

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Start once Kestrel listens, so the agent's first connection attempt succeeds.
        lifetime.ApplicationStarted.Register(() =>
        {
            _agent = AgentHost.Build(options);
            _agent.StartAsync(lifetime.ApplicationStopping).ContinueWith(
                t => log.LogError(t.Exception, "The in-process agent failed to start"),
                TaskContinuationOptions.OnlyOnFaulted);
            log.LogInformation("In-process agent started for node {Node} (turn it off with --no-agent)", options.ResolvedNodeName());
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_agent is null)
            return;
        await _agent.StopAsync(cancellationToken);
        _agent.Dispose();
    }

    private static string Loopback(string listenAddress) =>
        listenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : listenAddress.Contains(':') ? $"[{listenAddress}]" : listenAddress;
}

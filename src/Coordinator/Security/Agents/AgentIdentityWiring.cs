using k8s;
using NodeHealth.Coordinator.Kubernetes;

namespace NodeHealth.Coordinator.Security.Agents;

public static class AgentIdentityWiring
{
    /// <summary>
    /// Registers how agents are authenticated (Coordinator:AgentAuthentication) and says it once at startup.
    /// TokenReview goes through the coordinator's Kubernetes connection, so call this after AddKubernetes.
    /// Answers configuration errors naming the setting.
    /// </summary>
    public static IReadOnlyList<string> AddAgentIdentity(this WebApplicationBuilder builder, CoordinatorOptions options, bool inProcessAgentUsesSharedToken)
    {
        switch (options.AgentAuthentication)
        {
            case AgentAuthentication.SharedToken:
                builder.Services.AddSingleton<IAgentAuthenticator>(services => new SharedTokenAuthenticator(services.GetRequiredService<IngestToken>()));
                break;
            case AgentAuthentication.TokenReview:
                if (!builder.Services.Any(s => s.ServiceType == typeof(IKubernetes)))
                    return ["Coordinator:AgentAuthentication=TokenReview needs a Kubernetes API server to review tokens, and none is configured " +
                            "(run in a pod with a service account, set KUBECONFIG or Kubernetes:Kubeconfig, and leave Kubernetes:Enabled true), " +
                            "or use Coordinator:AgentAuthentication=SharedToken"];
                if (inProcessAgentUsesSharedToken)
                    return ["Coordinator:AgentAuthentication=TokenReview refuses the shared ingest token the in-process agent would present: " +
                            "run the coordinator with --no-agent (Coordinator:InProcessAgent=false), or give the agent a projected token with Agent:TokenFile"];
                builder.Services.AddSingleton<IAgentAuthenticator>(services => new TokenReviewAuthenticator(
                    new TokenReviewer(services.GetRequiredService<IKubernetes>(), services.GetRequiredService<KubernetesApi>().RequestTimeout, options.AgentServiceAccounts),
                    new ReviewCache(services.GetRequiredService<TimeProvider>()),
                    services.GetRequiredService<TimeProvider>(),
                    services.GetRequiredService<ILogger<TokenReviewAuthenticator>>()));
                break;
            default:
                return [$"Coordinator:AgentAuthentication '{options.AgentAuthentication}' is not known: use SharedToken or TokenReview"];
        }

        builder.Services.AddHostedService<AgentIdentityStartupNote>();
        return [];
    }
}

/// <summary>Says once, at startup, which authentication agents face.</summary>
internal sealed class AgentIdentityStartupNote(IAgentAuthenticator authenticator, CoordinatorOptions options, ILogger<AgentIdentityStartupNote> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        log.LogInformation("Agent authentication: {Authentication}", authenticator.Description);
        if (options.AgentAuthentication == AgentAuthentication.TokenReview && options.AgentServiceAccounts.Count == 0)
            log.LogInformation("Agent authentication: any service account's token for audience {Audience} is accepted for its own node (narrow it with Coordinator:AgentServiceAccounts)",
                TokenReviewer.Audience);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using NodeHealth.Contracts.Wire;
using ProtoBuf.Grpc.Server;

namespace NodeHealth.Coordinator.Ingest;

public static class IngestWiring
{
    /// <summary>The agents' gRPC stream (code-first, message size bounded), the open streams that shutdown waits for, and the crashed members whose writes are not waited for.</summary>
    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.AddSingleton<IngestStreams>();
        services.AddSingleton<CrashedMembers>();
        services.AddHostedService(provider => provider.GetRequiredService<IngestStreams>());
        services.AddCodeFirstGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = IngestLimits.MaxMessageBytes;
            grpc.MaxSendMessageSize = IngestLimits.MaxMessageBytes;
        });
        return services;
    }
}

using Grpc.Core;
using Grpc.Core.Interceptors;

namespace NodeHealth.Coordinator.Metrics;

/// <summary>Counts every agent stream that ends with an error (authentication, validation, a persist timeout) by its status code.</summary>
public sealed class IngestErrorCounter : Interceptor
{
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e)
        {
            IngestMetrics.Failed(e);
            throw;
        }
    }
}

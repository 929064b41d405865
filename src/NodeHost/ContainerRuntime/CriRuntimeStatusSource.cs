using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using NodeHealth.Actors.Agent.ContainerRuntime;
using ProtoBuf.Grpc;
using ProtoBuf.Grpc.Client;

namespace NodeHealth.NodeHost.ContainerRuntime;

/// <summary>
/// runtime.v1.RuntimeService/Status over the runtime's unix socket (under HOST_ROOT). A fresh connection per call, so a
/// restarted containerd (a new socket) is simply reached again; the gRPC deadline and a cancellation bound every call.
/// </summary>
public sealed class CriRuntimeStatusSource(string socketPath, string endpoint) : IRuntimeStatusSource
{
    public string Endpoint { get; } = endpoint;

    public async Task<RuntimeAnswer> StatusAsync(TimeSpan deadline)
    {
        if (!File.Exists(socketPath))
            return new RuntimeAnswer.NoSocket(Endpoint);
        using var cancel = new CancellationTokenSource(deadline);
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = deadline,
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 4 * 1024 * 1024,
        });
        try
        {
            var reply = await channel.CreateGrpcService<ICriRuntimeService>()
                .StatusAsync(new CriStatusRequest(), new CallContext(new CallOptions(deadline: DateTime.UtcNow + deadline, cancellationToken: cancel.Token)))
                .WaitAsync(deadline + TimeSpan.FromSeconds(1));
            return new RuntimeAnswer.Answered([.. (reply.Status?.Conditions ?? []).Select(c => new RuntimeCondition(c.Type, c.Status, c.Reason, c.Message))]);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled)
        {
            return new RuntimeAnswer.NotAnswered($"no answer within {deadline.TotalSeconds:0.#} s");
        }
        catch (RpcException e)
        {
            return new RuntimeAnswer.NotAnswered($"{e.StatusCode}: {e.Status.Detail}");
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            return new RuntimeAnswer.NotAnswered($"no answer within {deadline.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException)
        {
            return new RuntimeAnswer.NotAnswered(e.GetBaseException().Message);
        }
    }
}

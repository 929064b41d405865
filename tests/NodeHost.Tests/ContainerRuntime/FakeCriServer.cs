using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodeHealth.NodeHost.ContainerRuntime;
using ProtoBuf.Grpc;
using ProtoBuf.Grpc.Server;

namespace NodeHealth.NodeHost.Tests.ContainerRuntime;

/// <summary>
/// A real gRPC server on a unix socket that plays containerd's CRI RuntimeService/Status: healthy, not ready (as
/// containerd answers before its CRI plugin is up), or hung (takes the call and never answers).
/// </summary>
public sealed class FakeCriServer : IAsyncDisposable
{
    public enum Behaviour { Healthy, NotReady, Hung }

    private readonly WebApplication _app;

    private FakeCriServer(WebApplication app, string socket)
    {
        _app = app;
        Socket = socket;
    }

    public string Socket { get; }

    public volatile Behaviour Mode = Behaviour.Healthy;

    public int Calls;

    public static async Task<FakeCriServer> StartAsync(string socket)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddCodeFirstGrpc();
        var holder = new Holder();
        builder.Services.AddSingleton(holder);
        var app = builder.Build();
        app.MapGrpcService<RuntimeService>();
        var server = new FakeCriServer(app, socket);
        holder.Server = server;
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Holder
    {
        public FakeCriServer Server { get; set; } = null!;
    }

    private sealed class RuntimeService(Holder holder) : ICriRuntimeService
    {
        public async Task<CriStatusResponse> StatusAsync(CriStatusRequest request, CallContext context = default)
        {
            var server = holder.Server;
            Interlocked.Increment(ref server.Calls);
            switch (server.Mode)
            {
                case Behaviour.Hung:
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                    throw new InvalidOperationException("unreachable");
                case Behaviour.NotReady:
                    return Answer(("RuntimeReady", false, "ContainerdNotReady", "cri plugin is not initialized"), ("NetworkReady", false, "NetworkPluginNotReady", "cni plugin not initialized"));
                default:
                    return Answer(("RuntimeReady", true, "", ""), ("NetworkReady", true, "", ""));
            }
        }

        private static CriStatusResponse Answer(params (string Type, bool Status, string Reason, string Message)[] conditions) => new()
        {
            Status = new CriRuntimeStatus
            {
                Conditions = [.. conditions.Select(c => new CriRuntimeCondition { Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message })],
            },
            Info = { ["config"] = "{\"containerd\":{\"snapshotter\":\"overlayfs\"}}" },
        };
    }
}

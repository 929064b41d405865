using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodeHealth.Contracts.Wire;
using NodeHealth.Coordinator.Security;
using NodeHealth.Coordinator.Security.Agents;
using NodeHealth.Coordinator.Security.Tls;
using ProtoBuf.Grpc;
using ProtoBuf.Grpc.Server;

namespace NodeHealth.Kubernetes.Tests.Identity;

/// <summary>
/// The coordinator's ingest port as agents meet it, without the entities behind it: Kestrel listening with the
/// coordinator's own <see cref="IngestTlsWiring.UseIngestProtocols"/>, each stream authenticated by an
/// <see cref="IAgentAuthenticator"/> and its hello authorized, then acknowledged. It records every token presented.
/// </summary>
public sealed class IngestFront : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IngestFront(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public ConcurrentQueue<string> TokensPresented { get; } = new();

    public static async Task<IngestFront> StartAsync(IAgentAuthenticator authenticator, IngestCertificate? certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new IngestEndpoint(certificate));
        builder.Services.AddSingleton(authenticator);
        builder.Services.AddSingleton<FrontService>();
        builder.Services.AddCodeFirstGrpc();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseIngestProtocols()));
        var app = builder.Build();
        app.MapGrpcService<FrontService>();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var front = new IngestFront(app, address.Port);
        app.Services.GetRequiredService<FrontService>().Front = front;
        return front;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class FrontService(IAgentAuthenticator authenticator) : IFindingIngest
    {
        public IngestFront Front { get; set; } = null!;

        public async IAsyncEnumerable<CoordinatorMessage> ConnectAsync(IAsyncEnumerable<AgentMessage> messages, CallContext context = default)
        {
            var call = context.ServerCallContext!;
            Front.TokensPresented.Enqueue(BearerToken.From(call.RequestHeaders.GetValue("authorization")) ?? "");
            var agent = await authenticator.AuthenticateAsync(call.RequestHeaders, call.CancellationToken);
            await using var incoming = messages.GetAsyncEnumerator(call.CancellationToken);
            if (!await incoming.MoveNextAsync() || incoming.Current.Hello is not { } hello)
                yield break;
            agent.Authorize(hello.NodeName);
            yield return new CoordinatorMessage(new BatchAck(hello.AgentBootId, 0, 0, 0));
            while (await incoming.MoveNextAsync())
            {
                // Heartbeats and batches are the entities' business, not this test's.
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>
/// A Kubernetes API server for tests: Kestrel on a loopback port serving, with real semantics, the
/// subset node-health uses (nodes list/get/watch, nodes/status strategic merge, events.k8s.io/v1,
/// TokenReview). It records every request and answers the faults a test plans.
/// JSON merge patches and JSON patches of nodes/status are refused: they would replace the kubelet's conditions.
/// </summary>
public sealed partial class TestApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private CancellationTokenSource _watches = new();

    private TestApiServer(WebApplication app) => _app = app;

    public NodeStore Nodes { get; } = new();

    public EventStore Events { get; } = new();

    public TokenReviews Tokens { get; } = new();

    public FaultPlan Faults { get; } = new();

    /// <summary>How often an open watch that asked for bookmarks gets one.</summary>
    public TimeSpan BookmarkEvery { get; set; } = TimeSpan.FromMilliseconds(200);

    public Uri Uri { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<TestApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new TestApiServer(app);
        app.Run(server.Serve);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Uri = new Uri(address);
        return server;
    }

    public k8s.Kubernetes Client() => new(new KubernetesClientConfiguration { Host = Uri.ToString() });

    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string path) => [.. Requests.Where(r => r.Is(method, path))];

    /// <summary>Ends every open watch stream, as a load balancer or an API server restart does.</summary>
    public void DropWatches()
    {
        var dropped = Interlocked.Exchange(ref _watches, new CancellationTokenSource());
        dropped.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        DropWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task Serve(HttpContext context)
    {
        var request = context.Request;
        var at = DateTime.UtcNow;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
            body = await reader.ReadToEndAsync(context.RequestAborted);
        var path = request.Path.Value ?? "";
        var status = 0;
        try
        {
            if (Faults.Take(request.Method, path) is { } fault)
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
                if (fault.Status != 0)
                {
                    if (fault.RetryAfter is { } after)
                        context.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString();
                    status = await Failure(context, fault.Status, "injected by the test", "test server: injected fault");
                    return;
                }
            }

            status = await Route(context, request.Method, path, body);
        }
        catch (PatchRejected e)
        {
            status = await Failure(context, 422, "Invalid", e.Message);
        }
        catch (AlreadyExists e)
        {
            status = await Failure(context, 409, "AlreadyExists", e.Message);
        }
        catch (OperationCanceledException)
        {
            status = 499;
        }
        finally
        {
            _requests.Enqueue(new RecordedRequest(at, request.Method, path, request.QueryString.Value ?? "", request.ContentType, body, status == 0 ? context.Response.StatusCode : status));
        }
    }

    private static async Task<int> Json(HttpContext context, int status, JsonNode answer)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
        return status;
    }

    private static Task<int> Failure(HttpContext context, int code, string reason, string message) => Json(context, code, Status(code, reason, message));

    private static JsonObject Status(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };
}

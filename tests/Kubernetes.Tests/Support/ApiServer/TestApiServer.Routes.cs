using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>The paths the server answers, in the shapes the API server uses.</summary>
public sealed partial class TestApiServer
{
    private const string StrategicMergePatch = "application/strategic-merge-patch+json";

    private async Task<int> Route(HttpContext context, string method, string path, string body)
    {
        var parts = path.Trim('/').Split('/');
        return (method, parts) switch
        {
            ("GET", ["api", "v1", "nodes"]) when IsWatch(context.Request) => await WatchNodes(context),
            ("GET", ["api", "v1", "nodes"]) => await ListNodes(context),
            ("GET", ["api", "v1", "nodes", var name]) => Nodes.Get(name) is { } node ? await Json(context, 200, node) : await NodeNotFound(context, name),
            ("PATCH", ["api", "v1", "nodes", var name, "status"]) => await PatchNodeStatus(context, name, body),
            ("POST", ["apis", "events.k8s.io", "v1", "namespaces", var ns, "events"]) => await Json(context, 201, Events.Create(ns, Parse(body))),
            ("PATCH", ["apis", "events.k8s.io", "v1", "namespaces", _, "events", var name]) =>
                Events.Patch(name, Parse(body), strategic: IsStrategic(context.Request)) is { } patched
                    ? await Json(context, 200, patched)
                    : await Failure(context, 404, "NotFound", $"events.events.k8s.io \"{name}\" not found"),
            ("POST", ["apis", "authentication.k8s.io", "v1", "tokenreviews"]) => await Json(context, 201, Tokens.Review(Parse(body))),
            ("DELETE", ["api", "v1", "nodes", var name]) => await DeleteNode(context, name, body),
            (_, ["apis", var group, var version, _, ..]) when CustomObjects.ServesGroup(group, version) => await ServeCustomObject(context, method, parts, body),
            // Repair, drain: cordon (PATCH of the Node), pods on a node, deletion, the Eviction subresource (PodsRoutes.cs, NodeSpecRoutes.cs).
            ("PATCH", ["api", "v1", "nodes", var name]) => await PatchNode(context, name, body),
            ("GET", ["api", "v1", "pods"]) => await ListPods(context),
            ("DELETE", ["api", "v1", "namespaces", var ns, "pods", var name]) => await DeletePod(context, ns, name, body),
            ("POST", ["api", "v1", "namespaces", var ns, "pods", var name, "eviction"]) => await EvictPod(context, ns, name, body),
            _ => await Failure(context, 404, "NotFound", $"the test server does not serve {method} {path}"),
        };
    }

    private async Task<int> PatchNodeStatus(HttpContext context, string name, string body)
    {
        var contentType = context.Request.ContentType ?? "";
        if (!contentType.StartsWith(StrategicMergePatch, StringComparison.Ordinal))
            return await Failure(context, 415, "UnsupportedMediaType",
                $"test server: {contentType} on nodes/status replaces the kubelet's conditions; node-health must send {StrategicMergePatch}");
        var patch = Parse(body);
        return Nodes.Update(name, node => StrategicMerge.Apply(node, patch)) is { } updated
            ? await Json(context, 200, updated)
            : await NodeNotFound(context, name);
    }

    private async Task<int> ListNodes(HttpContext context)
    {
        var (items, version) = Nodes.List();
        return await Json(context, 200, new JsonObject
        {
            ["kind"] = "NodeList",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString() },
            ["items"] = new JsonArray([.. items]),
        });
    }

    /// <summary>
    /// A watch stream: one JSON watch event per line. A compacted version is answered as the API
    /// server does, with an ERROR event carrying a 410 Status in an otherwise successful response.
    /// </summary>
    private async Task<int> WatchNodes(HttpContext context)
    {
        var query = context.Request.Query;
        var bookmarks = query["allowWatchBookmarks"] == "true";
        long.TryParse(query["resourceVersion"], out var from);
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(5);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";

        IReadOnlyList<WatchEvent> backlog;
        System.Threading.Channels.Channel<WatchEvent> live;
        if (from == 0)
        {
            // No version: the current state as ADDED events, then what follows.
            var (items, version) = Nodes.List();
            (_, live) = Nodes.Watch(version)!.Value;
            backlog = [.. items.Select(n => new WatchEvent("ADDED", version, n))];
        }
        else if (Nodes.Watch(from) is { } started)
            (backlog, live) = started;
        else
        {
            await WriteLine(context, new JsonObject
            {
                ["type"] = "ERROR",
                ["object"] = Status(410, "Expired", $"too old resource version: {from} ({Nodes.ResourceVersion})"),
            });
            return 200;
        }

        var dropped = _watches.Token;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, dropped);
        stop.CancelAfter(timeout);
        try
        {
            foreach (var change in backlog)
                await WriteLine(context, Event(change));
            while (!stop.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                tick.CancelAfter(BookmarkEvery);
                try
                {
                    var change = await live.Reader.ReadAsync(tick.Token);
                    await WriteLine(context, Event(change));
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested && bookmarks)
                {
                    await WriteLine(context, Bookmark(Nodes.ResourceVersion));
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Nodes.StopWatching(live);
        }

        // A dropped watch: abort the connection rather than end the response cleanly.
        if (dropped.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
            context.Abort();
        return 200;
    }

    private static JsonObject Event(WatchEvent change) => new() { ["type"] = change.Type, ["object"] = change.Object.DeepClone() };

    private static JsonObject Bookmark(long version) => new()
    {
        ["type"] = "BOOKMARK",
        ["object"] = new JsonObject
        {
            ["kind"] = "Node",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString() },
        },
    };

    private static async Task WriteLine(HttpContext context, JsonObject line)
    {
        await context.Response.WriteAsync(line.ToJsonString() + "\n");
        await context.Response.Body.FlushAsync();
    }

    private static Task<int> NodeNotFound(HttpContext context, string name) => Failure(context, 404, "NotFound", $"nodes \"{name}\" not found");

    private static bool IsWatch(HttpRequest request) => request.Query["watch"] is var w && (w == "true" || w == "1");

    private static bool IsStrategic(HttpRequest request) => (request.ContentType ?? "").StartsWith(StrategicMergePatch, StringComparison.Ordinal);

    private static JsonObject Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new PatchRejected("the body is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new PatchRejected($"the body is not JSON: {e.Message}");
        }
    }
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>Node deletion and the custom objects replacing a node touches (Karpenter NodeClaims, Cluster API Machines).</summary>
public sealed partial class TestApiServer
{
    public CustomObjectStore CustomObjects { get; } = new(CustomResource.NodeClaims, CustomResource.Machines);

    /// <summary>DELETE /api/v1/nodes/{name}: gone at once (a Status answers, and watches see DELETED), or marked while finalizers run.</summary>
    private async Task<int> DeleteNode(HttpContext context, string name, string body)
    {
        if (Nodes.Get(name) is not { } node)
            return await NodeNotFound(context, name);
        if (Deletion.PreconditionFails(node, Options(body)) is { } why)
            return await Failure(context, 409, "Conflict", why);
        if (Deletion.HasFinalizers(node))
            return Nodes.Update(name, n => Deletion.MarkDeleting(n, DateTime.UtcNow)) is { } marked
                ? await Json(context, 200, marked)
                : await NodeNotFound(context, name);
        return Nodes.Delete(name) ? await Json(context, 200, Deletion.Success("nodes", node)) : await NodeNotFound(context, name);
    }

    /// <summary>/apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}]: list, get and delete of the installed kinds.</summary>
    private async Task<int> ServeCustomObject(HttpContext context, string method, string[] parts, string body)
    {
        var (ns, rest) = parts is [_, _, _, "namespaces", var n, .. var after] ? (n, after) : ((string?)null, parts[3..]);
        if (rest.Length is 0 or > 2 || CustomObjects.Served(parts[1], parts[2], rest[0]) is not { } resource || (ns is not null && !resource.Namespaced))
            return await Failure(context, 404, "NotFound", "the server could not find the requested resource");
        return (method, rest) switch
        {
            ("GET", [_]) => await ListCustomObjects(context, resource, ns),
            ("GET", [_, var name]) => CustomObjects.Get(resource, ns ?? "", name) is { } item
                ? await Json(context, 200, item)
                : await Failure(context, 404, "NotFound", $"{resource.Plural}.{resource.Group} \"{name}\" not found"),
            ("DELETE", [_, var name]) => CustomObjects.Delete(resource, ns ?? "", name, Options(body)) switch
            {
                { Status: 200, Object: { } deleted } => await Json(context, 200, deleted),
                { Status: 409 } conflict => await Failure(context, 409, "Conflict", conflict.Message),
                var missing => await Failure(context, 404, "NotFound", missing.Message),
            },
            _ => await Failure(context, 405, "MethodNotAllowed", $"the test server does not serve {method} on {resource.Plural}"),
        };
    }

    private async Task<int> ListCustomObjects(HttpContext context, CustomResource resource, string? ns)
    {
        var (items, version) = CustomObjects.List(resource, ns);
        return await Json(context, 200, new JsonObject
        {
            ["kind"] = resource.Kind + "List",
            ["apiVersion"] = resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString() },
            ["items"] = new JsonArray([.. items]),
        });
    }

    /// <summary>A delete's DeleteOptions; an empty body is none.</summary>
    private static JsonObject? Options(string body) => string.IsNullOrWhiteSpace(body) ? null : Parse(body);
}

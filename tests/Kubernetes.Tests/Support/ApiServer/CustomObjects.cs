using System.Text.Json.Nodes;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>A custom resource kind the test server can serve (its CRD "installed").</summary>
public sealed record CustomResource(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    public static readonly CustomResource NodeClaims = new("karpenter.sh", "v1", "nodeclaims", "NodeClaim", Namespaced: false);
    public static readonly CustomResource Machines = new("cluster.x-k8s.io", "v1beta1", "machines", "Machine", Namespaced: true);

    public string ApiVersion => $"{Group}/{Version}";
}

/// <summary>What a delete did: 404, 409 (a precondition), or 200 with the object (marked deleting, or as it was when it went).</summary>
public sealed record DeleteAnswer(int Status, JsonObject? Object, string Message);

/// <summary>
/// Custom objects with the API server's semantics for the kinds installed: versions on every write, deletion that waits
/// for finalizers (deletionTimestamp) and honours preconditions. Cluster-scoped objects have the namespace "".
/// </summary>
public sealed class CustomObjectStore(params CustomResource[] installed)
{
    private readonly Dictionary<(string Plural, string Namespace, string Name), JsonObject> _objects = [];
    private readonly HashSet<CustomResource> _installed = [.. installed];
    private readonly Lock _gate = new();
    private long _version = 1;

    /// <summary>The installed kind at group/version/plural; null: the server answers 404 as for a CRD that is not installed.</summary>
    public CustomResource? Served(string group, string version, string plural)
    {
        lock (_gate)
            return _installed.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);
    }

    public bool ServesGroup(string group, string version)
    {
        lock (_gate)
            return _installed.Any(r => r.Group == group && r.Version == version);
    }

    /// <summary>Removes the kind's CRD, as a cluster without Karpenter or Cluster API has none.</summary>
    public void Uninstall(CustomResource resource)
    {
        lock (_gate)
            _installed.Remove(resource);
    }

    /// <summary>Creates or replaces an object as its controller would.</summary>
    public JsonObject Put(CustomResource resource, JsonObject item)
    {
        lock (_gate)
        {
            var metadata = item["metadata"]!.AsObject();
            item["apiVersion"] = resource.ApiVersion;
            item["kind"] = resource.Kind;
            if (!resource.Namespaced)
                metadata.Remove("namespace");
            metadata["uid"] ??= Guid.NewGuid().ToString();
            metadata["creationTimestamp"] ??= "2026-11-27T06:00:00Z";
            metadata["resourceVersion"] = (++_version).ToString();
            _objects[Key(resource, Namespace(item), Name(item))] = item;
            return (JsonObject)item.DeepClone();
        }
    }

    public JsonObject? Get(CustomResource resource, string ns, string name)
    {
        lock (_gate)
            return _objects.TryGetValue(Key(resource, ns, name), out var item) ? (JsonObject)item.DeepClone() : null;
    }

    /// <param name="ns">Null: every namespace (and every object of a cluster-scoped kind).</param>
    public (IReadOnlyList<JsonObject> Items, long ResourceVersion) List(CustomResource resource, string? ns)
    {
        lock (_gate)
            return ([.. _objects.Where(o => o.Key.Plural == resource.Plural && (ns is null || o.Key.Namespace == ns))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => (JsonObject)o.Value.DeepClone())], _version);
    }

    public DeleteAnswer Delete(CustomResource resource, string ns, string name, JsonObject? options)
    {
        lock (_gate)
        {
            var key = Key(resource, ns, name);
            if (!_objects.TryGetValue(key, out var item))
                return new DeleteAnswer(404, null, $"{resource.Plural}.{resource.Group} \"{name}\" not found");
            if (Deletion.PreconditionFails(item, options) is { } why)
                return new DeleteAnswer(409, null, why);
            if (Deletion.HasFinalizers(item))
            {
                if (item["metadata"]!["deletionTimestamp"] is null)
                {
                    Deletion.MarkDeleting(item, DateTime.UtcNow);
                    item["metadata"]!["resourceVersion"] = (++_version).ToString();
                }

                return new DeleteAnswer(200, (JsonObject)item.DeepClone(), "");
            }

            _objects.Remove(key);
            _version++;
            return new DeleteAnswer(200, item, "");
        }
    }

    /// <summary>The controller's finalizers are done: an object being deleted goes.</summary>
    public bool FinishDeletion(CustomResource resource, string ns, string name)
    {
        lock (_gate)
            return _objects.TryGetValue(Key(resource, ns, name), out var item) && item["metadata"]!["deletionTimestamp"] is not null
                   && _objects.Remove(Key(resource, ns, name));
    }

    private static (string, string, string) Key(CustomResource resource, string ns, string name) => (resource.Plural, resource.Namespaced ? ns : "", name);

    private static string Namespace(JsonObject item) => item["metadata"]?["namespace"]?.GetValue<string>() ?? "";

    private static string Name(JsonObject item) => item["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException("a custom object needs metadata.name");
}

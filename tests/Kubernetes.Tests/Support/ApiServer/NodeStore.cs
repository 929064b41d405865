using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>One change as a watch delivers it: ADDED, MODIFIED, DELETED (the object at that version).</summary>
public sealed record WatchEvent(string Type, long ResourceVersion, JsonObject Object);

/// <summary>
/// Nodes with the API server's versioning: every write takes the next resourceVersion, a watch
/// replays what happened after the version it names, and a version older than the kept history is
/// answered 410 Gone (as etcd compaction does), which makes a client list again.
/// </summary>
public sealed class NodeStore(int historyKept = 100)
{
    private readonly Dictionary<string, JsonObject> _nodes = new(StringComparer.Ordinal);
    private readonly List<WatchEvent> _history = [];
    private readonly List<Channel<WatchEvent>> _watchers = [];
    private readonly Lock _gate = new();
    private long _version = 1;
    private long _compactedThrough;

    public long ResourceVersion
    {
        get { lock (_gate) return _version; }
    }

    public JsonObject? Get(string name)
    {
        lock (_gate)
            return _nodes.TryGetValue(name, out var node) ? (JsonObject)node.DeepClone() : null;
    }

    public (IReadOnlyList<JsonObject> Items, long ResourceVersion) List()
    {
        lock (_gate)
            return ([.. _nodes.Values.OrderBy(n => Name(n), StringComparer.Ordinal).Select(n => (JsonObject)n.DeepClone())], _version);
    }

    /// <summary>Creates or replaces a node as the kubelet or an operator would.</summary>
    public JsonObject Put(JsonObject node)
    {
        lock (_gate)
        {
            var name = Name(node);
            var type = _nodes.ContainsKey(name) ? "MODIFIED" : "ADDED";
            if (type == "ADDED")
            {
                node["metadata"]!["uid"] ??= Guid.NewGuid().ToString();
                node["metadata"]!["creationTimestamp"] ??= DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            }

            return Commit(type, name, node);
        }
    }

    /// <summary>Applies a change to an existing node; null when there is no such node (404).</summary>
    public JsonObject? Update(string name, Func<JsonObject, JsonObject> change)
    {
        lock (_gate)
            return _nodes.TryGetValue(name, out var node) ? Commit("MODIFIED", name, change((JsonObject)node.DeepClone())) : null;
    }

    public bool Delete(string name)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(name, out var node))
                return false;
            _nodes.Remove(name);
            _version++;
            node["metadata"]!["resourceVersion"] = _version.ToString();
            Publish(new WatchEvent("DELETED", _version, node));
            return true;
        }
    }

    /// <summary>Forgets the whole history, as a compaction would: watches from any earlier version get 410.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _version;
        }
    }

    /// <summary>
    /// Starts a watch after <paramref name="fromVersion"/>: the changes since then, and a channel for
    /// what comes next. Null when that version is compacted away (410 Gone).
    /// </summary>
    public (IReadOnlyList<WatchEvent> Backlog, Channel<WatchEvent> Live)? Watch(long fromVersion)
    {
        lock (_gate)
        {
            if (fromVersion < _compactedThrough)
                return null;
            var live = Channel.CreateUnbounded<WatchEvent>();
            _watchers.Add(live);
            return ([.. _history.Where(e => e.ResourceVersion > fromVersion)], live);
        }
    }

    public void StopWatching(Channel<WatchEvent> live)
    {
        lock (_gate)
            _watchers.Remove(live);
    }

    private JsonObject Commit(string type, string name, JsonObject node)
    {
        _version++;
        node["metadata"]!["resourceVersion"] = _version.ToString();
        _nodes[name] = node;
        Publish(new WatchEvent(type, _version, (JsonObject)node.DeepClone()));
        return (JsonObject)node.DeepClone();
    }

    private void Publish(WatchEvent change)
    {
        _history.Add(change);
        if (_history.Count > historyKept)
        {
            _compactedThrough = _history[0].ResourceVersion;
            _history.RemoveAt(0);
        }

        foreach (var watcher in _watchers)
            watcher.Writer.TryWrite(change);
    }

    private static string Name(JsonObject node) => node["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException("a node needs metadata.name");
}

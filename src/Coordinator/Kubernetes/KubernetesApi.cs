using k8s;
using k8s.Autorest;
using k8s.Models;

namespace NodeHealth.Coordinator.Kubernetes;

/// <summary>
/// The one place that knows the API calls node-health makes and how they fail. Every call waits
/// for the shared <see cref="RequestBudget"/>, is cut off after <see cref="RequestTimeout"/>, and
/// answers an <see cref="ApiAnswer{T}"/> instead of throwing.
/// </summary>
public sealed class KubernetesApi(IKubernetes client, RequestBudget budget, TimeSpan requestTimeout, string fieldManager)
{
    public const string DefaultFieldManager = "node-health";

    public TimeSpan RequestTimeout => requestTimeout;

    public string FieldManager => fieldManager;

    public Task<ApiAnswer<V1Node>> GetNodeAsync(string name, CancellationToken cancellation) =>
        Call(c => client.CoreV1.ReadNodeAsync(name, cancellationToken: c), cancellation);

    /// <summary>Strategic merge: conditions merge by type, so the kubelet's own stay as they are (a merge patch would replace the list).</summary>
    public Task<ApiAnswer<V1Node>> PatchNodeStatusAsync(string name, string strategicMergePatch, CancellationToken cancellation) =>
        Call(c => client.CoreV1.PatchNodeStatusAsync(new V1Patch(strategicMergePatch, V1Patch.PatchType.StrategicMergePatch), name,
            fieldManager: fieldManager, cancellationToken: c), cancellation);

    public Task<ApiAnswer<V1NodeList>> ListNodesAsync(CancellationToken cancellation) =>
        Call(c => client.CoreV1.ListNodeAsync(cancellationToken: c), cancellation);

    /// <summary>
    /// A watch of every node from <paramref name="resourceVersion"/>, with bookmarks. The API server reports
    /// a version too old for it (410 Gone) inside the stream: that arrives through <paramref name="onError"/>.
    /// </summary>
    public IAsyncEnumerable<(WatchEventType Type, V1Node Node)> WatchNodes(string resourceVersion, TimeSpan timeout, Action<Exception> onError, CancellationToken cancellation) =>
        client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: (int)Math.Ceiling(timeout.TotalSeconds),
            onError: onError, cancellationToken: cancellation);

    public Task<ApiAnswer<Eventsv1Event>> CreateEventAsync(Eventsv1Event @event, CancellationToken cancellation) =>
        Call(c => client.EventsV1.CreateNamespacedEventAsync(@event, @event.Metadata.NamespaceProperty, fieldManager: fieldManager, cancellationToken: c), cancellation);

    public Task<ApiAnswer<Eventsv1Event>> PatchEventAsync(string ns, string name, string mergePatch, CancellationToken cancellation) =>
        Call(c => client.EventsV1.PatchNamespacedEventAsync(new V1Patch(mergePatch, V1Patch.PatchType.MergePatch), name, ns,
            fieldManager: fieldManager, cancellationToken: c), cancellation);

    // Replacing a node (src/Coordinator/Repair/Replace). Custom objects name group, version and plural as literal named
    // arguments: tests/Deployment.Tests/RbacTests.cs reads them to check that the ClusterRole grants exactly these calls.

    /// <summary>Deletes the Node only while it is still the object with <paramref name="uid"/> (409 otherwise), never a newcomer that took its name.</summary>
    public Task<ApiAnswer<V1Status>> DeleteNodeAsync(string name, string uid, CancellationToken cancellation) =>
        Call(c => client.CoreV1.DeleteNodeAsync(name, OnlyIf(uid), cancellationToken: c), cancellation);

    /// <summary>Every Karpenter NodeClaim (karpenter.sh/v1, cluster-scoped); 404 when Karpenter v1 is not installed.</summary>
    public Task<ApiAnswer<CustomObjectList>> ListNodeClaimsAsync(CancellationToken cancellation) =>
        Call(c => client.CustomObjects.ListClusterCustomObjectAsync<CustomObjectList>(group: "karpenter.sh", version: "v1", plural: "nodeclaims",
            cancellationToken: c), cancellation);

    public Task<ApiAnswer<CustomObject>> DeleteNodeClaimAsync(string name, string uid, CancellationToken cancellation) =>
        Call(c => client.CustomObjects.DeleteClusterCustomObjectAsync<CustomObject>(group: "karpenter.sh", version: "v1", plural: "nodeclaims",
            name: name, body: OnlyIf(uid), cancellationToken: c), cancellation);

    /// <summary>A Cluster API Machine (cluster.x-k8s.io/v1beta1); 404 when it is gone or Cluster API is not installed here.</summary>
    public Task<ApiAnswer<CustomObject>> GetMachineAsync(string ns, string name, CancellationToken cancellation) =>
        Call(c => client.CustomObjects.GetNamespacedCustomObjectAsync<CustomObject>(group: "cluster.x-k8s.io", version: "v1beta1", plural: "machines",
            namespaceParameter: ns, name: name, cancellationToken: c), cancellation);

    /// <summary>The Cluster API Machines of every namespace.</summary>
    public Task<ApiAnswer<CustomObjectList>> ListMachinesAsync(CancellationToken cancellation) =>
        Call(c => client.CustomObjects.ListClusterCustomObjectAsync<CustomObjectList>(group: "cluster.x-k8s.io", version: "v1beta1", plural: "machines",
            cancellationToken: c), cancellation);

    public Task<ApiAnswer<CustomObject>> DeleteMachineAsync(string ns, string name, string uid, CancellationToken cancellation) =>
        Call(c => client.CustomObjects.DeleteNamespacedCustomObjectAsync<CustomObject>(group: "cluster.x-k8s.io", version: "v1beta1", plural: "machines",
            namespaceParameter: ns, name: name, body: OnlyIf(uid), cancellationToken: c), cancellation);

    private static V1DeleteOptions OnlyIf(string uid) => new() { Preconditions = new V1Preconditions { Uid = uid } };

    /// <summary>
    /// JSON merge patch of a Node (spec.unschedulable, our annotation). A metadata.resourceVersion in the patch makes it
    /// conditional: 409 when the Node changed since it was read, so a cordon never takes over someone else's.
    /// </summary>
    public Task<ApiAnswer<V1Node>> PatchNodeAsync(string name, string mergePatch, CancellationToken cancellation) =>
        Call(c => client.CoreV1.PatchNodeAsync(new V1Patch(mergePatch, V1Patch.PatchType.MergePatch), name, fieldManager: fieldManager, cancellationToken: c), cancellation);

    /// <summary>Every pod bound to <paramref name="node"/>, in all namespaces (what kubectl drain lists).</summary>
    public Task<ApiAnswer<V1PodList>> ListPodsOnNodeAsync(string node, CancellationToken cancellation) =>
        Call(c => client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={node}", cancellationToken: c), cancellation);

    /// <summary>The policy/v1 Eviction subresource: the API server deletes the pod only if its PodDisruptionBudget allows (429 otherwise).</summary>
    public Task<ApiAnswer<V1Eviction>> EvictPodAsync(string ns, string name, CancellationToken cancellation) =>
        Call(c => client.CoreV1.CreateNamespacedPodEvictionAsync(
            new V1Eviction { ApiVersion = "policy/v1", Kind = "Eviction", Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns } },
            name, ns, fieldManager: fieldManager, cancellationToken: c), cancellation);

    /// <summary>
    /// Deletes a pod regardless of budgets, only if it is still the pod with <paramref name="uid"/> (409 otherwise).
    /// <paramref name="gracePeriod"/> null: the pod's own terminationGracePeriodSeconds; zero: at once, without the kubelet.
    /// </summary>
    public Task<ApiAnswer<V1Pod>> DeletePodAsync(string ns, string name, string uid, TimeSpan? gracePeriod, CancellationToken cancellation) =>
        Call(c => client.CoreV1.DeleteNamespacedPodAsync(name, ns,
            new V1DeleteOptions
            {
                GracePeriodSeconds = gracePeriod is { } grace ? (long)Math.Ceiling(grace.TotalSeconds) : null,
                Preconditions = new V1Preconditions { Uid = uid },
            }, cancellationToken: c), cancellation);

    private async Task<ApiAnswer<T>> Call<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        try
        {
            await budget.WaitAsync(cancellation);
            timeout.CancelAfter(requestTimeout);
            return ApiAnswer<T>.Ok(await call(timeout.Token));
        }
        catch (HttpOperationException e)
        {
            return ApiAnswer<T>.Failed(new ApiFailure((int)e.Response.StatusCode, Describe(e), RetryAfter(e)));
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return ApiAnswer<T>.Failed(new ApiFailure(0, $"no answer within {requestTimeout.TotalSeconds:0.#}s"));
        }
        catch (HttpRequestException e)
        {
            return ApiAnswer<T>.Failed(new ApiFailure(0, e.Message));
        }
    }

    /// <summary>The Status message the API server sent, e.g. 'nodes "x" not found', rather than the client's generic text.</summary>
    private static string Describe(HttpOperationException e)
    {
        try
        {
            if (e.Response.Content is { Length: > 0 } body && KubernetesJson.Deserialize<V1Status>(body) is { Message: { Length: > 0 } message } status)
                return WithCauses(message, status.Details?.Causes);
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return e.Response.ReasonPhrase ?? e.Message;
    }

    /// <summary>The causes the message does not already say: an eviction's 429 names the blocking budget only there.</summary>
    private static string WithCauses(string message, IList<V1StatusCause>? causes) =>
        causes?.Select(c => c.Message).Where(m => m is { Length: > 0 } && !message.Contains(m, StringComparison.Ordinal)).ToList() is { Count: > 0 } more
            ? $"{message} ({string.Join("; ", more)})"
            : message;

    private static TimeSpan? RetryAfter(HttpOperationException e) =>
        e.Response.Headers is { } headers && headers.TryGetValue("Retry-After", out var values) &&
        int.TryParse(values.FirstOrDefault(), out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
}

using System.Collections.Immutable;
using System.Net;
using k8s;
using k8s.Models;
using NodeHealth.Contracts;

namespace NodeHealth.Coordinator.Kubernetes.Nodes;

/// <summary>
/// One per coordinator: lists every Node, then watches from the list's version (with bookmarks, so
/// the version stays fresh on a quiet cluster). A watch the server ends is resumed from the last
/// version seen; one that breaks off is resumed after a short jittered pause; when the server no
/// longer has that version (410 Gone) the informer lists again, as client-go's reflector does.
/// What changes that the node entities must hear (a new boot id, a re-created or deleted Node) goes to <see cref="Feed"/>.
/// </summary>
public sealed class NodeInformer(KubernetesApi api, NodeDirectory directory, ILogger<NodeInformer> log) : BackgroundService
{
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public RetryPolicy Retry { get; init; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));

    /// <summary>Where the entities hear of the changes; null: only the directory follows the Nodes.</summary>
    public NodeEntityFeed? Feed { get; init; }

    /// <summary>How many times the informer listed (the first time and after each 410).</summary>
    public int Lists { get; private set; }

    /// <summary>The last resource version seen, from an object, a list or a bookmark.</summary>
    public string ResourceVersion { get; private set; } = "";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            var listed = await api.ListNodesAsync(stopping);
            if (listed.Value is not { } list)
            {
                await Pause(++failures, listed.Failure!.RetryAfter, $"listing nodes failed ({listed.Failure})", stopping);
                continue;
            }

            failures = 0;
            await Tell(directory.Replace(list.Items), stopping);
            ResourceVersion = list.Metadata.ResourceVersion;
            Lists++;
            log.LogInformation("Node informer listed {Count} nodes at version {Version}", list.Items.Count, ResourceVersion);
            await WatchUntilGone(stopping);
        }
    }

    private async Task WatchUntilGone(CancellationToken stopping)
    {
        var breaks = 0;
        while (!stopping.IsCancellationRequested)
        {
            var gone = false;
            try
            {
                await foreach (var (type, node) in api.WatchNodes(ResourceVersion, WatchTimeout, e => gone |= IsGone(e), stopping))
                {
                    if (type != WatchEventType.Bookmark)
                        await Tell(directory.Apply(type, node), stopping);
                    ResourceVersion = node.Metadata.ResourceVersion;
                    breaks = 0;
                }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && e is HttpRequestException or IOException or k8s.Autorest.HttpOperationException)
            {
                await Pause(++breaks, null, $"the node watch broke off ({e.Message}); resuming from version {ResourceVersion}", stopping);
                continue;
            }

            if (gone)
            {
                log.LogInformation("Node watch version {Version} is gone (410): listing again", ResourceVersion);
                return;
            }
        }
    }

    private Task Tell(ImmutableArray<IWithNodeName> commands, CancellationToken stopping) =>
        Feed?.SendAsync(commands, stopping) ?? Task.CompletedTask;

    private static bool IsGone(Exception e) => e is KubernetesException { Status.Code: (int)HttpStatusCode.Gone };

    private async Task Pause(int attempt, TimeSpan? retryAfter, string why, CancellationToken stopping)
    {
        var delay = Retry.Delay(attempt, retryAfter, Random.Shared.NextDouble());
        log.LogWarning("{Why}; next try in {Delay:0.###}s", why, delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

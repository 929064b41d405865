using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection.Reload;

/// <summary>On the event stream: the catalog files changed and loaded; monitors rebuild their rules from it.</summary>
public sealed record CatalogChanged(ReasonCatalog Catalog);

/// <summary>On the event stream: an edit of the catalog files was refused (<paramref name="Problem"/> names file, line and problem); the last good rules stay.</summary>
public sealed record CatalogRejected(string Problem);

/// <summary>
/// Polls the operator's catalog files (every 2 s by default) and, when what they hold changed, loads them into
/// the <see cref="CatalogHolder"/> and tells the actor system. A file that does not load leaves the last good
/// catalog in force, logged and announced until it is fixed.
/// </summary>
public sealed class CatalogWatcher : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan DefaultPollEvery = TimeSpan.FromSeconds(2);

    private readonly ILoggingAdapter _log = Context.GetLogger();

    public CatalogWatcher(CatalogHolder holder, IReadOnlyList<string> files, TimeSpan pollEvery, Func<IReadOnlyList<string>, ReasonCatalog> load)
    {
        Receive<Poll>(_ =>
        {
            var fingerprint = CatalogFingerprint.Read(files);
            if (fingerprint == holder.Fingerprint)
                return;
            try
            {
                var catalog = load(files);
                var wasRejected = holder.Problem is not null;
                holder.Accept(catalog, fingerprint);
                _log.Info("Catalog reloaded from {0}: {1} rules{2}", string.Join(", ", files), catalog.Rules.Length,
                    wasRejected ? "; the earlier refused edit is fixed" : "");
                Context.System.EventStream.Publish(new CatalogChanged(catalog));
            }
            catch (CatalogException e)
            {
                holder.Reject(e.Message, fingerprint);
                _log.Error("Catalog edit refused, the last good rules stay in force: {0}", e.Message);
                Context.System.EventStream.Publish(new CatalogRejected(e.Message));
            }
        });
        Timers.StartPeriodicTimer(Poll.Instance, Poll.Instance, pollEvery);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record Poll
    {
        public static readonly Poll Instance = new();
    }
}

public static class CatalogReloadWiring
{
    public const string WatcherName = "catalog-watcher";

    /// <summary>Watches <paramref name="files"/> for edits (nothing to watch without operator files).</summary>
    public static AkkaConfigurationBuilder AddCatalogReload(
        this AkkaConfigurationBuilder builder, CatalogHolder holder, IReadOnlyList<string> files, TimeSpan? pollEvery = null)
    {
        if (files.Count == 0)
            return builder;
        return builder.WithActors((system, _) => system.ActorOf(
            Props.Create(() => new CatalogWatcher(holder, files, pollEvery ?? CatalogWatcher.DefaultPollEvery, CatalogLoader.Load)), WatcherName));
    }
}

using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using NodeHealth.Actors.Reload;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection.Reload;

/// <summary>On the event stream: the catalog files changed and loaded; monitors rebuild their rules from it.</summary>
public sealed record CatalogChanged(ReasonCatalog Catalog);

/// <summary>On the event stream: an edit of the catalog files was refused (<paramref name="Problem"/> names file, line and problem); the last good rules stay.</summary>
public sealed record CatalogRejected(string Problem);

/// <summary>
/// Polls the operator's catalog files and loads an edit into the <see cref="CatalogHolder"/> (see
/// <see cref="FileReloadWatcher{T}"/>), telling the actor system either way: monitors rebuild their rules from a
/// new catalog; a refused edit is logged and announced until it is fixed.
/// </summary>
public sealed class CatalogWatcher(CatalogHolder holder, IReadOnlyList<string> files, TimeSpan pollEvery, Func<IReadOnlyList<string>, ReasonCatalog> load)
    : FileReloadWatcher<ReasonCatalog>(holder, files, pollEvery)
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    protected override ReasonCatalog Load() => load(Files);

    protected override bool IsRefusal(Exception e) => e is CatalogException;

    protected override void Accepted(ReasonCatalog catalog, bool fixesRefusal)
    {
        _log.Info("Catalog reloaded from {0}: {1} rules{2}", string.Join(", ", Files), catalog.Rules.Length,
            fixesRefusal ? "; the earlier refused edit is fixed" : "");
        Context.System.EventStream.Publish(new CatalogChanged(catalog));
    }

    protected override void Refused(string problem)
    {
        _log.Error("Catalog edit refused, the last good rules stay in force: {0}", problem);
        Context.System.EventStream.Publish(new CatalogRejected(problem));
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

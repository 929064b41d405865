using NodeHealth.Actors.Reload;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection.Reload;

/// <summary>The catalog in force (see <see cref="Reloadable{T}"/>), reloaded by the <see cref="CatalogWatcher"/>.</summary>
public sealed class CatalogHolder(ReasonCatalog catalog, string fingerprint = "") : Reloadable<ReasonCatalog>(catalog, fingerprint)
{
    /// <summary>Loads the catalog files, remembering what they held, so a watcher reloads only when they change.</summary>
    public static CatalogHolder Load(IReadOnlyList<string> files, Func<IReadOnlyList<string>, ReasonCatalog> load)
    {
        // Fingerprint first: an edit landing between the two is then seen as a change and loaded again.
        var fingerprint = FileFingerprint.Read(files);
        return new CatalogHolder(load(files), fingerprint);
    }
}

using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Detection.Reload;

/// <summary>
/// The catalog in force, swapped whole when its files change, so a reader on any thread sees the old rules or
/// the new ones, never a mix. <see cref="Problem"/> says why the last edit was refused (file, line, problem);
/// the last good catalog stays in force until the files load again.
/// </summary>
public sealed class CatalogHolder
{
    private volatile CatalogVersion _version;

    public CatalogHolder(ReasonCatalog catalog, string fingerprint = "") => _version = new CatalogVersion(catalog, fingerprint, null);

    public ReasonCatalog Current => _version.Catalog;

    public string? Problem => _version.Problem;

    /// <summary>The content of the files as last looked at (loaded or refused): an unchanged fingerprint needs no reload.</summary>
    public string Fingerprint => _version.Fingerprint;

    /// <summary>Loads the catalog files, remembering what they held, so a watcher reloads only when they change.</summary>
    public static CatalogHolder Load(IReadOnlyList<string> files, Func<IReadOnlyList<string>, ReasonCatalog> load)
    {
        // Fingerprint first: an edit landing between the two is then seen as a change and loaded again.
        var fingerprint = CatalogFingerprint.Read(files);
        return new CatalogHolder(load(files), fingerprint);
    }

    public void Accept(ReasonCatalog catalog, string fingerprint) => _version = new CatalogVersion(catalog, fingerprint, null);

    public void Reject(string problem, string fingerprint) => _version = _version with { Problem = problem, Fingerprint = fingerprint };

    private sealed record CatalogVersion(ReasonCatalog Catalog, string Fingerprint, string? Problem);
}

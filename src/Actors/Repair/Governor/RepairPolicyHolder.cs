using NodeHealth.Actors.Reload;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Governor;

/// <summary>
/// The repair policy in force (see <see cref="Reloadable{T}"/>), reloaded by the <see cref="RepairPolicyWatcher"/>.
/// Without a file: the defaults, for good.
/// </summary>
public sealed class RepairPolicyHolder(RepairPolicy policy, string? file = null, string fingerprint = "") : Reloadable<RepairPolicy>(policy, fingerprint)
{
    /// <summary><c>Repair:PolicyFile</c>, or null for the defaults.</summary>
    public string? File { get; } = file;

    /// <summary>The policy in <paramref name="file"/> (the defaults when null), in <paramref name="mode"/>; throws <see cref="RepairPolicyException"/>.</summary>
    public static RepairPolicyHolder Load(string? file, RepairMode mode, ReasonCatalog catalog)
    {
        if (string.IsNullOrEmpty(file))
            return new RepairPolicyHolder(RepairPolicy.Default with { Mode = mode });
        // Fingerprint first: an edit landing between the two is then seen as a change and loaded again.
        var fingerprint = FileFingerprint.Read([file]);
        return new RepairPolicyHolder(RepairPolicyLoader.Load(file, catalog, mode), file, fingerprint);
    }
}

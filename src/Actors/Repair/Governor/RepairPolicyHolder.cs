using NodeHealth.Actors.Detection.Reload;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Governor;

/// <summary>
/// The repair policy in force, swapped whole when its file changes (like <see cref="CatalogHolder"/>): readers see the
/// old policy or the new one, never a mix. <see cref="Problem"/> says why the last edit was refused (file, line,
/// problem); the last good policy stays in force until the file loads again. Without a file: the defaults, for good.
/// </summary>
public sealed class RepairPolicyHolder
{
    private volatile PolicyVersion _version;

    public RepairPolicyHolder(RepairPolicy policy, string? file = null, string fingerprint = "")
    {
        File = file;
        _version = new PolicyVersion(policy, fingerprint, null);
    }

    /// <summary><c>Repair:PolicyFile</c>, or null for the defaults.</summary>
    public string? File { get; }

    public RepairPolicy Current => _version.Policy;

    public string? Problem => _version.Problem;

    public string Fingerprint => _version.Fingerprint;

    /// <summary>The policy in <paramref name="file"/> (the defaults when null), in <paramref name="mode"/>; throws <see cref="RepairPolicyException"/>.</summary>
    public static RepairPolicyHolder Load(string? file, RepairMode mode, ReasonCatalog catalog)
    {
        if (string.IsNullOrEmpty(file))
            return new RepairPolicyHolder(RepairPolicy.Default with { Mode = mode });
        // Fingerprint first: an edit landing between the two is then seen as a change and loaded again.
        var fingerprint = CatalogFingerprint.Read([file]);
        return new RepairPolicyHolder(RepairPolicyLoader.Load(file, catalog, mode), file, fingerprint);
    }

    public void Accept(RepairPolicy policy, string fingerprint) => _version = new PolicyVersion(policy, fingerprint, null);

    public void Reject(string problem, string fingerprint) => _version = _version with { Problem = problem, Fingerprint = fingerprint };

    private sealed record PolicyVersion(RepairPolicy Policy, string Fingerprint, string? Problem);
}

namespace NodeHealth.Actors.Reload;

/// <summary>
/// What operator files hold, loaded, swapped whole when the files change, so a reader on any thread sees the old
/// value or the new one, never a mix. <see cref="Problem"/> says why the last edit was refused (file, line,
/// problem); the last good value stays in force until the files load again.
/// </summary>
public class Reloadable<T>(T value, string fingerprint = "") where T : class
{
    private volatile Version _version = new(value, fingerprint, null);

    public T Current => _version.Value;

    public string? Problem => _version.Problem;

    /// <summary>The content of the files as last looked at (loaded or refused): an unchanged fingerprint needs no reload.</summary>
    public string Fingerprint => _version.Fingerprint;

    public void Accept(T loaded, string fingerprintOfFiles) => _version = new Version(loaded, fingerprintOfFiles, null);

    public void Reject(string problem, string fingerprintOfFiles) => _version = _version with { Problem = problem, Fingerprint = fingerprintOfFiles };

    private sealed record Version(T Value, string Fingerprint, string? Problem);
}

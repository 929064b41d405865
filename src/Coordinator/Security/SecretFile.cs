using System.Text;

namespace NodeHealth.Coordinator.Security;

/// <summary>
/// A small secret on disk that is never readable by others and never seen half-written: it is written to
/// a temporary file created owner-only (mode 0600) from the start, flushed to disk, then renamed into place.
/// </summary>
public static class SecretFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The trimmed content of <paramref name="path"/>, or null when it is missing or blank.</summary>
    public static string? Read(string path) =>
        File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } saved ? saved : null;

    /// <summary>
    /// Writes <paramref name="secret"/> to <paramref name="path"/> unless a secret is already there, and returns
    /// the one that holds: a second process generating at the same moment gets the first one's secret.
    /// </summary>
    public static string WriteOnce(string path, string secret)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnly;
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(secret));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
            return secret;
        }
        catch (IOException) when (Read(path) is { } existing)
        {
            return existing;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

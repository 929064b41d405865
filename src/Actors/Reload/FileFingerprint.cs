using System.Security.Cryptography;
using System.Text;

namespace NodeHealth.Actors.Reload;

/// <summary>
/// What a set of operator files (the catalog, the repair policy) holds, as one hash. Compared by content, not by timestamp or inotify: a Kubernetes
/// ConfigMap mount swaps a symlink to a new directory, which neither a file's mtime nor a watch on it shows.
/// </summary>
public static class FileFingerprint
{
    private const int MaxFileBytes = 1024 * 1024;

    public static string Read(IEnumerable<string> paths) => Of(paths.Select(path => (path, TryRead(path))));

    /// <summary>A missing (or unreadable) file counts as content of its own, so its return is a change too.</summary>
    public static string Of(IEnumerable<(string Path, byte[]? Content)> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, content) in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{path}\0{content?.Length ?? -1}\0"));
            if (content is not null)
                hash.AppendData(content);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static byte[]? TryRead(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var buffer = new byte[Math.Min(file.Length, MaxFileBytes + 1)];
            return buffer[..file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

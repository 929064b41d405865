namespace NodeHealth.Actors.Agent.Probes;

/// <summary>The host's files as probes read them: absolute host paths, resolved under HOST_ROOT.</summary>
public interface IHostFiles
{
    /// <summary>Where "/" of the host is, for messages.</summary>
    string Root { get; }

    /// <summary>The file's text; null when it does not exist. Throws <see cref="ProbeUnavailableException"/> when it exists but cannot be read.</summary>
    string? ReadText(string path);

    /// <summary>Names of the entries of a directory (symbolic links included); null when it does not exist.</summary>
    IReadOnlyList<string>? List(string directory);

    /// <summary>Fills <paramref name="buffer"/> from the start of a file (a process's environ can be megabytes): the bytes read, null when it does not exist.</summary>
    int? ReadHead(string path, byte[] buffer);
}

/// <summary>Host files under a root directory ("/" on a plain machine, e.g. /host in the DaemonSet).</summary>
public sealed class RootedHostFiles(string root) : IHostFiles
{
    public string Root { get; } = root;

    public string Resolve(string path) => Root == "/" ? path : Path.Combine(Root, path.TrimStart('/'));

    public string? ReadText(string path)
    {
        var resolved = Resolve(path);
        try
        {
            return File.ReadAllText(resolved);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeUnavailableException($"Cannot read {resolved}: {e.Message}", e);
        }
    }

    public int? ReadHead(string path, byte[] buffer)
    {
        var resolved = Resolve(path);
        try
        {
            using var file = new FileStream(resolved, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            var length = 0;
            int read;
            while (length < buffer.Length && (read = file.Read(buffer, length, buffer.Length - length)) > 0)
                length += read;
            return length;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeUnavailableException($"Cannot read {resolved}: {e.Message}", e);
        }
    }

    public IReadOnlyList<string>? List(string directory)
    {
        var resolved = Resolve(directory);
        try
        {
            return [.. new DirectoryInfo(resolved).EnumerateFileSystemInfos().Select(entry => entry.Name).Order(StringComparer.Ordinal)];
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeUnavailableException($"Cannot list {resolved}: {e.Message}", e);
        }
    }
}

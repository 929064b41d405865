using NodeHealth.Actors.Agent.Logs;

namespace NodeHealth.NodeHost.Logs.Files;

/// <summary>
/// A plain, rotating log file (catalog source file-&lt;name&gt;). Cursors are <see cref="FilePosition"/>s:
/// resuming neither repeats nor skips a line, across rename-and-create and copytruncate rotation. Without a
/// cursor reading starts at the end; a file that is not there yet is waited for and read whole when it comes.
/// Lines over <see cref="MaxLineBytes"/> are skipped and counted as malformed.
/// </summary>
public sealed class LogFileSource(string name, string path) : ILogSource
{
    public const string SourcePrefix = "file-";
    public const int MaxLineBytes = 64 * 1024;
    /// <summary>How often a file is looked at while inotify cannot watch it (no instance left, its directory not there yet).</summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    public string Name => SourcePrefix + name;

    public string Path => path;

    public string Description => File.Exists(path) ? path : $"{path} (not there yet: read from its first line once it appears)";

    public ILogReader Open(string? resumeAfter)
    {
        try
        {
            return new LogFileReader(path, FilePosition.Parse(resumeAfter), MaxLineBytes, PollEvery);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LogUnavailableException($"{path}: {e.Message}", e);
        }
    }
}

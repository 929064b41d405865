using NodeHealth.Actors.Agent.Logs;

namespace NodeHealth.NodeHost.Logs.Journal;

/// <summary>
/// One identifier's entries in the systemd journal (catalog source journal-&lt;identifier&gt;), read through
/// libsystemd. Cursors are the journal's own: resuming neither repeats nor skips an entry; without one,
/// reading starts after the last entry there is.
/// </summary>
public sealed class JournalSource : ILogSource
{
    public const string SourcePrefix = "journal-";

    private readonly string _path;
    private readonly bool _underHostRoot;
    private readonly string _identifier;

    private JournalSource(string path, bool underHostRoot, string identifier)
    {
        _path = path;
        _underHostRoot = underHostRoot;
        _identifier = identifier;
    }

    /// <summary>The host's journal: /var/log/journal and /run/log/journal under HOST_ROOT, merged as journald writes them.</summary>
    public static JournalSource OfHost(HostPaths host, string identifier) => new(host.Root, underHostRoot: true, identifier);

    /// <summary>The journal files in one directory (and its machine-id subdirectories).</summary>
    public static JournalSource InDirectory(string directory, string identifier) => new(directory, underHostRoot: false, identifier);

    public string Name => SourcePrefix + _identifier;

    public string Description => $"{Query(null).Where} ({JournalQuery.IdentifierField}={_identifier})";

    public ILogReader Open(string? resumeAfter)
    {
        if (SdJournal.Unavailable() is { } problem)
            throw new LogUnavailableException(problem);
        if (Missing() is { } missing)
            throw new LogNotPresentException(missing); // A host without a journal is not a failing one: kmsg still vouches for KernelReady.
        return JournalReader.Start(Query(resumeAfter));
    }

    private JournalQuery Query(string? resumeAfter) => new(_path, _underHostRoot, _identifier, resumeAfter);

    private string? Missing()
    {
        if (!_underHostRoot)
            return Directory.Exists(_path) ? null : $"the journal directory {_path} does not exist";
        string[] directories = [Path.Combine(_path, "var/log/journal"), Path.Combine(_path, "run/log/journal")];
        return directories.Any(Directory.Exists)
            ? null
            : $"neither {directories[0]} nor {directories[1]} exists: journald keeps no journal on this host, or HOST_ROOT does not mount it";
    }
}

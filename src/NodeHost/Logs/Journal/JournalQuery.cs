namespace NodeHealth.NodeHost.Logs.Journal;

/// <summary>
/// Which journal to open and where to start: <paramref name="Path"/> is a host root (journald's
/// /var/log/journal and /run/log/journal below it, <paramref name="UnderHostRoot"/>) or one directory of
/// journal files; entries are those whose SYSLOG_IDENTIFIER is <paramref name="Identifier"/>.
/// </summary>
internal sealed record JournalQuery(string Path, bool UnderHostRoot, string Identifier, string? ResumeAfter)
{
    /// <summary>
    /// What journalctl -t filters on, and what the catalog's journal-&lt;identifier&gt; names: it covers systemd's
    /// own messages (PID 1 logs as "systemd" from init.scope, so _SYSTEMD_UNIT could not name them) and the
    /// stdout of kubelet.service and containerd.service, which journald tags with the program's name.
    /// </summary>
    public const string IdentifierField = "SYSLOG_IDENTIFIER";

    public int Flags => UnderHostRoot ? SdJournal.OsRoot : 0;

    public string Where => UnderHostRoot
        ? $"the journal under {System.IO.Path.Combine(Path, "var/log/journal")} and {System.IO.Path.Combine(Path, "run/log/journal")}"
        : $"the journal in {Path}";
}

/// <summary>Cursors are libsystemd's own, plus <see cref="Head"/>: "no entry of this identifier existed when reading began".</summary>
internal static class JournalCursor
{
    public const string Head = "head";

    /// <summary>Null for a missing cursor (start at the end).</summary>
    public static string? Parse(string? saved) => string.IsNullOrWhiteSpace(saved) ? null : saved.Trim();
}

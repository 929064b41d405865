using NodeHealth.Actors.Agent.Logs;
using NodeHealth.Contracts.Catalog;
using NodeHealth.NodeHost.Kernel;
using NodeHealth.NodeHost.Logs.Files;
using NodeHealth.NodeHost.Logs.Journal;

namespace NodeHealth.NodeHost.Logs;

/// <summary>
/// Which logs the agent reads: the kernel log always, and every journal identifier and log file the catalog
/// has rules for (one log monitor each). Sources are chosen at start: rules a catalog reload adds for a new
/// source take effect at the next start; rules of sources already read take effect at once.
/// </summary>
public static class LogSources
{
    /// <summary>The log files EKS's agent reads, by the names the catalog's file-&lt;name&gt; sources use.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultFiles = new Dictionary<string, string>
    {
        ["messages"] = "/var/log/messages",
        ["ipamd"] = "/var/log/aws-routed-eni/ipamd.log",
        ["cron"] = "/var/log/cron.log",
        ["npa"] = "/var/log/aws-routed-eni/network-policy-agent.log",
        // Off until set: kube-proxy logs to a container log whose name changes with its pod (KubeProxyNotReady needs a path, e.g. a stable symlink).
        ["kube-proxy"] = "",
    };

    /// <summary>The sources to read; <paramref name="problems"/> gets a line for each rule source that cannot be read.</summary>
    public static IReadOnlyList<ILogSource> For(AgentOptions options, HostPaths host, ReasonCatalog catalog, List<string> problems)
    {
        List<ILogSource> sources =
        [
            options.KernelLogFile is { Length: > 0 } replay ? new KernelLogFileSource(replay) : new DevKmsgSource(host),
        ];
        foreach (var name in catalog.Rules.Select(r => r.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (name.StartsWith(JournalSource.SourcePrefix, StringComparison.Ordinal) && name.Length > JournalSource.SourcePrefix.Length)
                sources.Add(Journal(options.Journal, host, name[JournalSource.SourcePrefix.Length..]));
            else if (name.StartsWith(LogFileSource.SourcePrefix, StringComparison.Ordinal) && name.Length > LogFileSource.SourcePrefix.Length)
            {
                var file = name[LogFileSource.SourcePrefix.Length..];
                if (options.LogFiles.TryGetValue(file, out var path) && path is { Length: > 0 })
                    sources.Add(new LogFileSource(file, host.Resolve(path)));
                else if (!options.LogFiles.ContainsKey(file)) // An empty value turns a file off on purpose: nothing to warn about.
                    problems.Add($"the catalog has rules for source {name} but no file is set for it: set Agent:LogFiles:{file} to its path");
            }
        }

        return sources;
    }

    private static JournalSource Journal(JournalOptions journal, HostPaths host, string identifier) =>
        journal.Directory is { Length: > 0 } directory
            ? JournalSource.InDirectory(host.Resolve(directory), identifier)
            : JournalSource.OfHost(host, identifier);
}

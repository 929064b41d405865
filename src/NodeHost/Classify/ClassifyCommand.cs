using System.Diagnostics;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Detection.LogLines;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.NodeHost.Classify;

/// <summary>
/// <c>classify</c>, the agent's second command: runs the catalog's rules of one source over a log and prints
/// what the agent would find, so operators can try their rules on their own logs before deploying them.
/// No Akka, no settings: it runs before the host is built. Exit 0 when it ran, 2 for usage or catalog errors.
/// </summary>
public static class ClassifyCommand
{
    public const string Name = "classify";

    public static bool Handles(string[] args) => args.Length > 0 && args[0] == Name;

    public static int Run(string[] args) =>
        Run(args[1..], Console.OpenStandardInput, Console.OpenStandardOutput(), Console.Error);

    public static int Run(IReadOnlyList<string> args, Func<Stream> standardInput, Stream output, TextWriter log)
    {
        var arguments = ClassifyArguments.Parse(args, out var error);
        if (arguments is null)
        {
            if (error is { Length: > 0 })
                log.WriteLine($"classify: {error}");
            log.WriteLine(ClassifyArguments.Usage);
            return error is { Length: > 0 } ? 2 : 0;
        }

        ReasonCatalog catalog;
        try
        {
            catalog = CatalogLoader.Load(arguments.CatalogFiles);
        }
        catch (CatalogException e)
        {
            log.WriteLine($"classify: catalog error: {e.Message}");
            return 2;
        }

        var source = CatalogSource(catalog, arguments.Source);
        var engine = new DetectionEngine(catalog, source, new DetectionOptions { RateLimits = arguments.RateLimits });
        if (engine.RuleCount == 0)
        {
            log.WriteLine($"classify: the catalog has no log rules for source {source}; nothing to find");
            return 0;
        }

        Stream input;
        try
        {
            input = arguments.InputFile is null
                ? standardInput()
                : new FileStream(arguments.InputFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            log.WriteLine($"classify: cannot read {arguments.InputFile}: {e.Message}");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        using var reader = new LogLineReader(input);
        using var writer = new FindingWriter(output);
        long lines;
        try
        {
            lines = LogClassification.Run(reader, LogClassification.FormFor(source), engine, DateTime.UtcNow, writer.Write);
        }
        catch (IOException e)
        {
            log.WriteLine($"classify: reading {arguments.InputFile ?? "standard input"} failed: {e.Message}");
            return 2;
        }

        log.WriteLine($"classify: {lines:N0} lines of source {source} ({engine.RuleCount} rules), {writer.Written:N0} findings, {clock.Elapsed.TotalSeconds:0.00} s"
            + (reader.Truncated > 0 ? $"; {reader.Truncated:N0} lines longer than {reader.MaxLineBytes:N0} bytes were cut there" : ""));
        return 0;
    }

    /// <summary><c>kernel</c> is the kernel log (kmsg); a name the catalog uses as a source is that source; any other is a journal identifier.</summary>
    public static string CatalogSource(ReasonCatalog catalog, string source) =>
        source == "kernel" ? "kmsg"
        : catalog.Rules.Any(r => r.Source == source) ? source
        : "journal-" + source;
}

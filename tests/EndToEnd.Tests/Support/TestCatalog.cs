namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>Catalog files the end-to-end tests add to an agent.</summary>
public static class TestCatalog
{
    public const string FatalReason = "E2EFatalFault";

    /// <summary>
    /// Writes a catalog with one Fatal KernelReady reason, <see cref="FatalReason"/>, matching
    /// <c>node-health-e2e-&lt;run&gt; fatal: &lt;what&gt;</c> (see <see cref="FatalLine"/>); returns its path.
    /// </summary>
    public static string WriteFatal(string path, string run, string recovery, string? quietFor = null)
    {
        File.WriteAllText(path, $"""
            conditions:
              - type: KernelReady
                reasons:
                  - reason: {FatalReason}
                    severity: Fatal
                    source: kmsg
                    match: 'node-health-e2e-{run} fatal: (?<what>.+)'
                    message: '{"{what}"}'
                    recovery: {recovery}
                    description: A fatal kernel fault made up by the end-to-end tests.
            """ + (quietFor is null ? "" : $"\n        quietFor: {quietFor}\n"));
        return path;
    }

    /// <summary>A kernel log line the catalog of <see cref="WriteFatal"/> turns into a fatal finding.</summary>
    public static string FatalLine(string run, string what) => $"<2>node-health-e2e-{run} fatal: {what}";
}

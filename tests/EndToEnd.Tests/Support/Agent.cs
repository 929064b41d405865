using System.Text.Json.Nodes;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>A NodeHost process pointed at a coordinator; restarts keep its state directory.</summary>
public sealed class AgentUnderTest(CoordinatorUnderTest coordinator, string nodeName, IEnumerable<string>? catalogFiles = null)
    : ProcessUnderTest("agent")
{
    private readonly string _stateDirectory = Paths.TempDirectory("nh-agent");

    public static readonly TimeSpan ReconnectMaxBackoff = TimeSpan.FromSeconds(1);

    public string NodeName => nodeName;

    /// <summary>The agent's spool of unacknowledged findings (see FindingSpool).</summary>
    public string SpoolFile => Path.Combine(_stateDirectory, "spool.jsonl");

    protected override string StateDirectory => _stateDirectory;

    protected override IEnumerable<string> Arguments =>
    [
        Paths.AgentDll,
        $"--Agent:NodeName={nodeName}",
        $"--Agent:StateDirectory={StateDirectory}",
        $"--Agent:CoordinatorUrl={coordinator.GrpcAddress}",
        $"--Agent:Token={CoordinatorUnderTest.Token}",
        // A coordinator that comes back is found within a second, never after a long backoff past a test's deadline.
        $"--Agent:ReconnectMaxBackoff={ReconnectMaxBackoff}",
        .. (catalogFiles ?? []).Select((file, i) => $"--Agent:CatalogFiles:{i}={file}"),
    ];

    /// <summary>At the next start, also knows <paramref name="coordinators"/> (Agent:CoordinatorUrls) and fails over between them.</summary>
    public void FailOverTo(IEnumerable<CoordinatorUnderTest> coordinators)
    {
        foreach (var (member, i) in coordinators.Select((c, i) => (c, i)))
            ExtraArguments.Add($"--Agent:CoordinatorUrls:{i}={member.GrpcAddress}");
    }

    /// <summary>Waits (30 s at most) until the coordinator shows this node's KernelReady with that status and reason.</summary>
    public async Task<JsonObject?> KernelReadyBecomesAsync(string status, string reason) =>
        await Eventually.ValueAsync(() => coordinator.NodeAsync(nodeName),
            v => v.Condition("KernelReady").Text("status") == status && v.Condition("KernelReady").Text("reason") == reason,
            TimeSpan.FromSeconds(30), v => $"KernelReady is not {status}/{reason}: {v}\nagent:\n{Output}\ncoordinator:\n{coordinator.Output}");

    /// <summary>Whether the log monitor of <paramref name="source"/> (kmsg, journal-kubelet, ...) has logged that it reads its log.</summary>
    public bool IsReading(string source) => IsReading(Output, source);

    private static bool IsReading(string output, string source) =>
        output.Split('\n').Any(line => line.Contains(" monitor reading ") && line.Contains($" ({source}) with "));

    /// <summary>Ready once its kernel monitor reads /dev/kmsg, so lines written from then on are seen.</summary>
    protected override Task<bool> IsReadyAsync(SystemProcess process) =>
        Task.FromResult(IsReading(process.Output, "kmsg"));
}

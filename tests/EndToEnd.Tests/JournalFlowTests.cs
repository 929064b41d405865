using System.Text.Json.Nodes;
using NodeHealth.EndToEnd.Tests.Support;
using NodeHealth.NodeHost.Tests.Logs;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// A kubelet line in a real .journal file (written by systemd-journal-remote, read through libsystemd), through a
/// real agent process, into a real coordinator; across an agent restart, by its saved journal cursor.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class JournalFlowTests : IAsyncLifetime
{
    private const string Reason = "E2EKubeletForkFailed";
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _node;
    private readonly string _catalog;
    private readonly JournalFiles _journal = new(Paths.TempDirectory("nh-journal"));
    private readonly CoordinatorUnderTest _coordinator;
    private readonly AgentUnderTest _agent;

    public JournalFlowTests()
    {
        _node = $"e2e-journal-{_run}";
        _catalog = Path.Combine(Path.GetTempPath(), $"nh-catalog-{_run}.yaml");
        File.WriteAllText(_catalog, $$"""
            conditions:
              - type: KernelReady
                reasons:
                  - reason: {{Reason}}
                    severity: Warning
                    source: journal-kubelet
                    match: 'node-health-e2e-{{_run}} .*fork/exec (?<binary>\S+): resource temporarily unavailable'
                    message: 'fork of {binary} failed'
                    before: ForkFailedOutOfPIDs # the built-in rule matches these lines too: ours takes them
                    description: The kubelet could not start a process (the end-to-end tests' own rule).
            """);
        _coordinator = new CoordinatorUnderTest(Database.Sqlite(), [_catalog]);
        _agent = new AgentUnderTest(_coordinator, _node, [_catalog]);
        _agent.ExtraArguments.Add($"--Agent:Journal:Directory={_journal.Root}");
    }

    public async Task InitializeAsync()
    {
        _journal.Append(new JournalEntry("kubelet", $"node-health-e2e-{_run} kubelet started"));
        await _coordinator.StartAsync();
        await StartAgentAsync();
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _coordinator.DisposeAsync();
        _journal.Dispose();
        File.Delete(_catalog);
    }

    private string ForkFailed(string binary) =>
        $"node-health-e2e-{_run} E1127 pod_workers.go:1298] \"Error syncing pod\" err=\"failed to start container: fork/exec {binary}: resource temporarily unavailable\"";

    private async Task StartAgentAsync()
    {
        await _agent.StartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(_agent.IsReading("journal-kubelet")),
            TimeSpan.FromSeconds(30), () => "the agent never read the kubelet journal:\n" + _agent.Output);
    }

    private async Task<JsonObject?> FindingsAsync(Func<JsonObject?, bool> accept, string what) =>
        await Eventually.ValueAsync(() => _coordinator.NodeAsync(_node), accept, TimeSpan.FromSeconds(15),
            v => $"{what}: {v}\nagent:\n{_agent.Output}\ncoordinator:\n{_coordinator.Output}");

    private static int Count(JsonObject? view, string message) =>
        view.Findings().Count(f => f.Text("reason") == Reason && f.Text("message") == message);

    [Fact]
    public async Task Kubelet_journal_line_becomes_a_finding_and_an_agent_restart_neither_replays_nor_skips()
    {
        _journal.Append(
            new JournalEntry("containerd", ForkFailed("/usr/bin/containerd-shim")),
            new JournalEntry("kubelet", ForkFailed("/usr/bin/runc-before-restart")));
        var first = await FindingsAsync(v => Count(v, "fork of /usr/bin/runc-before-restart failed") == 1, "no finding for the kubelet line");
        var finding = first!.Findings().Single(f => f.Text("reason") == Reason);
        Assert.Equal("Warning", finding.Text("severity"));
        Assert.Equal("journal-kubelet", finding.Text("source"));

        await _agent.StopAsync();
        _journal.Append(new JournalEntry("kubelet", ForkFailed("/usr/bin/runc-while-stopped")));
        await StartAgentAsync();
        _journal.Append(new JournalEntry("kubelet", ForkFailed("/usr/bin/runc-after-restart")));

        var after = await FindingsAsync(v => Count(v, "fork of /usr/bin/runc-after-restart failed") == 1, "no finding after the restart");
        Assert.Equal(1, Count(after, "fork of /usr/bin/runc-while-stopped failed"));
        Assert.Equal(1, Count(after, "fork of /usr/bin/runc-before-restart failed"));
        Assert.Equal(0, Count(after, "fork of /usr/bin/containerd-shim failed"));
    }
}

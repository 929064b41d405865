using System.Text.Json.Nodes;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// The operator edits the catalog file a running agent and coordinator share (as a ConfigMap update does):
/// a new rule fires within seconds; a broken edit keeps the old rules working and is reported.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CatalogReloadTests : IAsyncLifetime
{
    private readonly string _run = KernelLog.NewTag();
    private readonly string _node;
    private readonly string _catalog;
    private readonly CoordinatorUnderTest _coordinator;
    private readonly AgentUnderTest _agent;

    public CatalogReloadTests()
    {
        _node = $"e2e-reload-{_run[4..]}";
        _catalog = Path.Combine(Path.GetTempPath(), $"nh-catalog-{_run}.yaml");
        File.WriteAllText(_catalog, Catalog(withSecond: false));
        _coordinator = new CoordinatorUnderTest(Database.Sqlite(), [_catalog]);
        _agent = new AgentUnderTest(_coordinator, _node, [_catalog]);
    }

    /// <summary>E2EFirstFault (Warning) always; E2ESecondFault (Fatal) once the operator adds it.</summary>
    private string Catalog(bool withSecond) => $$"""
        conditions:
          - type: KernelReady
            reasons:
              - reason: E2EFirstFault
                severity: Warning
                source: kmsg
                match: '{{_run}} first: (?<what>.+)'
                message: '{what}'
                description: A warning the reload tests start with.
        """ + (withSecond ? $$"""

              - reason: E2ESecondFault
                severity: Fatal
                source: kmsg
                match: '{{_run}} second: (?<what>.+)'
                message: '{what}'
                recovery: manual
                description: A fatal fault the reload tests add while the agent runs.
        """ : "");

    public async Task InitializeAsync()
    {
        await _coordinator.StartAsync();
        await _agent.StartAsync();
        await Eventually.TrueAsync(async () => await _coordinator.NodeAsync(_node) is not null,
            TimeSpan.FromSeconds(30), () => "the agent never said hello:\n" + _agent.Output);
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _coordinator.DisposeAsync();
        File.Delete(_catalog);
    }

    private async Task<JsonObject?> NodeBecomesAsync(Func<JsonObject?, bool> accept, string what) =>
        await Eventually.ValueAsync(() => _coordinator.NodeAsync(_node), accept, TimeSpan.FromSeconds(15),
            v => $"{what}: {v}\nagent:\n{_agent.Output}\ncoordinator:\n{_coordinator.Output}");

    private static Task WaitForOutputAsync(ProcessUnderTest process, string text, int times = 1) =>
        Eventually.TrueAsync(() => Task.FromResult(CountOf(process.Output, text) >= times), TimeSpan.FromSeconds(15),
            () => $"'{text}' was not logged {times} time(s):\n{process.Output}");

    private static int CountOf(string output, string text) => output.Split(text).Length - 1;

    /// <summary>Writes the file the way a ConfigMap update lands: a new file renamed over the old, never half-written.</summary>
    private void Edit(string content)
    {
        var staging = _catalog + ".new";
        File.WriteAllText(staging, content);
        File.Move(staging, _catalog, overwrite: true);
    }

    [Fact]
    public async Task Rule_added_to_the_catalog_file_fires_within_seconds_with_the_coordinator_reading_it_too()
    {
        Edit(Catalog(withSecond: true));
        await WaitForOutputAsync(_agent, "Catalog reloaded");
        await WaitForOutputAsync(_coordinator, "Catalog reloaded");

        KernelLog.Write($"<2>{_run} second: added while running");

        var view = await NodeBecomesAsync(v => v.Condition("KernelReady").Text("status") == "False", "the added Fatal rule did not turn KernelReady False");
        Assert.Equal("E2ESecondFault", view.Condition("KernelReady").Text("reason"));
        var finding = Assert.Single(view.Findings(), f => f.Text("reason") == "E2ESecondFault");
        Assert.Equal("Fatal", finding.Text("severity")); // The coordinator knows the new reason: not demoted to a warning.
        Assert.Equal("added while running", finding.Text("message"));
    }

    [Fact]
    public async Task Broken_edit_keeps_the_old_rules_working_and_shows_in_the_monitor_status_until_fixed()
    {
        Edit(Catalog(withSecond: false).Replace("'{what}'", "'{what}"));
        await WaitForOutputAsync(_agent, "Catalog edit refused");

        var reported = await NodeBecomesAsync(v => v.Condition("KernelReady").Text("message")?.Contains(_catalog) == true,
            "the refused edit is not in KernelReady's message");
        Assert.Equal("True", reported.Condition("KernelReady").Text("status"));
        Assert.Equal("KernelIsReady", reported.Condition("KernelReady").Text("reason")); // Reasons are a contract: the problem goes in the message.

        KernelLog.Write($"<4>{_run} first: still detected");
        await NodeBecomesAsync(v => v.Findings().Any(f => f.Text("reason") == "E2EFirstFault" && f.Text("message") == "still detected"),
            "the last good rule stopped working");

        Edit(Catalog(withSecond: false));
        await NodeBecomesAsync(v => v.Condition("KernelReady").Text("message")?.Contains(_catalog) == false,
            "the fixed edit still shows as refused");
    }
}

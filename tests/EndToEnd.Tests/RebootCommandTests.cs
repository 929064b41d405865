using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// A reboot through the agent's stream, with a recorded reboot command: a script that writes a line and kills the agent
/// (SIGKILL), as a real reboot takes the agent down before it can answer. The agent comes back, the coordinator sends the
/// unanswered command again, and the agent answers from its ledger instead of rebooting a second time.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RebootCommandTests : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _directory = Paths.TempDirectory("nh-reboot");
    private readonly string _reboots;
    private readonly CoordinatorUnderTest _coordinator;
    private readonly AgentUnderTest _agent;

    public RebootCommandTests()
    {
        _reboots = Path.Combine(_directory, "reboots.log");
        var script = Path.Combine(_directory, "reboot.sh");
        File.WriteAllText(script, $"#!/bin/sh\necho \"reboot $*\" >> '{_reboots}'\nkill -9 $PPID\n");
        _coordinator = new CoordinatorUnderTest(Database.Sqlite());
        _agent = new AgentUnderTest(_coordinator, $"e2e-reboot-{_run}");
        _agent.ExtraArguments.AddRange(["--Agent:Reboot:Enabled=true", $"--Agent:Reboot:Command=/bin/sh {script} now"]);
    }

    public async Task InitializeAsync()
    {
        await _coordinator.StartAsync();
        await _agent.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _coordinator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_reboot_reaches_the_agent_once_and_is_answered_after_the_agent_comes_back()
    {
        await Eventually.TrueAsync(async () => await _coordinator.NodeAsync(_agent.NodeName) is not null,
            TimeSpan.FromSeconds(30), () => "the agent never reported:\n" + _agent.Output);

        var (first, _) = await Reboot("repair-1");
        Assert.Equal(HttpStatusCode.Accepted, first); // The agent went down before answering.
        await Eventually.TrueAsync(() => Task.FromResult(Reboots.Length == 1), TimeSpan.FromSeconds(15),
            () => $"the reboot command never ran:\nagent:\n{_agent.Output}\ncoordinator:\n{_coordinator.Output}");
        await _agent.CrashAsync(); // Already killed by the script: this only collects it.

        await _agent.StartAsync();
        var answer = await Eventually.ValueAsync(() => Reboot("repair-1"), r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(30),
            r => $"the reboot was not answered: {r.Status} {r.Body}\nagent:\n{_agent.Output}\ncoordinator:\n{_coordinator.Output}");

        Assert.Equal("Done", answer.Body.Text("status"));
        Assert.Contains("the agent stopped before it finished", answer.Body.Text("detail"));
        Assert.Equal(["reboot now"], Reboots);
    }

    private string[] Reboots => File.Exists(_reboots) ? File.ReadAllLines(_reboots) : [];

    private async Task<(HttpStatusCode Status, JsonObject Body)> Reboot(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/nodes/{_agent.NodeName}/reboot?id={id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CoordinatorUnderTest.OperatorToken);
        using var response = await _coordinator.Http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}

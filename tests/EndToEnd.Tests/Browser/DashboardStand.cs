using System.Net.Http.Headers;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests.Browser;

/// <summary>
/// One coordinator and one agent (reading the real /dev/kmsg) for a whole test class of dashboard tests: the
/// coordinator decides repairs every second (DryRun; the test reason is repaired by a reboot), and the agent knows a
/// Fatal reason cleared only by an operator.
/// </summary>
public sealed class DashboardStand : IAsyncLifetime
{
    private readonly string _catalog;
    private readonly string _policy;

    public DashboardStand()
    {
        Run = Guid.NewGuid().ToString("N")[..8];
        Node = $"e2e-dash-{Run}";
        _catalog = TestCatalog.WriteFatal(Path.Combine(Path.GetTempPath(), $"nh-catalog-{Run}.yaml"), Run, recovery: "manual");
        _policy = Path.Combine(Path.GetTempPath(), $"nh-policy-{Run}.yaml");
        // The test reason repairs nothing by the catalog: the policy makes it a reboot after KernelReady's default wait (30m).
        File.WriteAllText(_policy, $"overrides:\n  - condition: KernelReady\n    reason: {TestCatalog.FatalReason}\n    action: Reboot\n");
        Coordinator = new CoordinatorUnderTest(Database.Sqlite(), [_catalog]);
        Coordinator.ExtraArguments.AddRange(["--Repair:DecideEvery=1s", $"--Repair:PolicyFile={_policy}"]);
        Agent = new AgentUnderTest(Coordinator, Node, [_catalog]);
    }

    public string Run { get; }
    public string Node { get; }
    public CoordinatorUnderTest Coordinator { get; }
    public AgentUnderTest Agent { get; }
    public string BaseUrl => $"http://127.0.0.1:{Coordinator.HttpPort}";

    public async Task InitializeAsync()
    {
        await Coordinator.StartAsync();
        await Agent.StartAsync();
        await Eventually.TrueAsync(async () => await Coordinator.NodeAsync(Node) is not null,
            TimeSpan.FromSeconds(30), () => "the agent never said hello:\n" + Agent.Output);
    }

    /// <summary>Writes a fatal line for <see cref="TestCatalog.FatalReason"/> to /dev/kmsg and waits until the API shows KernelReady False.</summary>
    public async Task BreakAsync(string what)
    {
        KernelLog.Write(TestCatalog.FatalLine(Run, what));
        await Agent.KernelReadyBecomesAsync("False", TestCatalog.FatalReason);
    }

    /// <summary>Puts the node and the governor back as they were (fault cleared, not paused), through the API, whatever a test left.</summary>
    public async Task RestoreAsync()
    {
        async Task Send(HttpMethod method, string path)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CoordinatorUnderTest.OperatorToken);
            using var response = await Coordinator.Http.SendAsync(request);
        }

        await Send(HttpMethod.Delete, $"/api/nodes/{Node}/conditions/KernelReady/faults/{TestCatalog.FatalReason}?note=test-cleanup");
        await Send(HttpMethod.Post, "/api/repairs/resume?by=test-cleanup");
        // The pages read the fleet view, which follows the journal a moment later.
        await Eventually.TrueAsync(async () =>
        {
            var nodes = System.Text.Json.Nodes.JsonNode.Parse(await Coordinator.Http.GetStringAsync("/api/nodes"))!.AsArray();
            var node = nodes.Select(n => n!.AsObject()).FirstOrDefault(n => n.Text("name") == Node);
            return node is not null && node["conditions"]!.AsArray().All(c => (string?)c!["status"] != "False");
        }, TimeSpan.FromSeconds(10), () => $"the fleet view still lists {Node} unhealthy after the fault was cleared");
    }

    public async Task DisposeAsync()
    {
        await Agent.DisposeAsync();
        await Coordinator.DisposeAsync();
        File.Delete(_catalog);
        File.Delete(_policy);
    }
}

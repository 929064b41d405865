using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NodeHealth.Contracts;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// Repair in DryRun through the whole coordinator: a Fatal finding turns a condition False, the governor (a cluster
/// singleton) decides on the fleet view under the policy file and GET /api/repairs shows the decision; nothing is done.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RepairDryRunTests : IDisposable
{
    private readonly string _directory = Paths.TempDirectory("nh-repair");
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_fault_past_its_wait_is_shown_by_the_api_as_a_dry_run_start_with_its_explanation()
    {
        var policy = Path.Combine(_directory, "repair.yaml");
        File.WriteAllText(policy, "overrides:\n  - condition: KernelReady\n    reason: ForkFailedOutOfPIDs\n    wait: 0s\n");
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        coordinator.ExtraArguments.AddRange(["--Repair:DecideEvery=1s", $"--Repair:PolicyFile={policy}"]);
        await coordinator.StartAsync();
        var node = $"e2e-repair-{_run}";

        using (var client = new IngestClient(coordinator.GrpcAddress))
            await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(node),
                IngestClient.Batch(IngestClient.Finding(node, 1, severity: Severity.Fatal, reason: "ForkFailedOutOfPIDs")));

        var list = await Eventually.ValueAsync(
            () => coordinator.Http.GetFromJsonAsync<JsonObject>($"/api/repairs?node={node}"),
            answer => answer?["decisions"]?.AsArray().Count == 1,
            TimeSpan.FromSeconds(30), answer => $"no decision for {node}: {answer}");

        Assert.Equal("DryRun", (string?)list!["mode"]);
        Assert.Equal(policy, (string?)list["policy"]);
        var decision = list["decisions"]![0]!;
        Assert.Equal((node, "KernelReady", "ForkFailedOutOfPIDs", "Replace", "Start", true),
            ((string?)decision["node"], (string?)decision["condition"], (string?)decision["reason"], (string?)decision["action"], (string?)decision["state"], (bool)decision["dryRun"]!));
        Assert.Contains("KernelReady=False (ForkFailedOutOfPIDs)", (string?)decision["explanation"]!["text"]);
        Assert.Contains($"{policy} line 2", (string?)decision["explanation"]!["findings"]![0]!["waitClause"]);
    }

    [Theory]
    [InlineData("--Repair:Mode=On", "Repair:Mode On needs a Kubernetes connection")]
    [InlineData("policy", "repair policy error: {0} line 2: the catalog defines no reason NoSuchReason")]
    public async Task Coordinator_refuses_to_start_on_mode_on_or_a_broken_policy_file(string setting, string expected)
    {
        var policy = Path.Combine(_directory, "broken.yaml");
        File.WriteAllText(policy, "overrides:\n  - condition: KernelReady\n    reason: NoSuchReason\n    wait: 1m\n");
        var argument = setting == "policy" ? $"--Repair:PolicyFile={policy}" : setting;

        await using var process = SystemProcess.Start("coordinator", Paths.Dotnet,
            [Paths.CoordinatorDll, "--no-agent", $"--Coordinator:DataDirectory={_directory}", argument]);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(string.Format(expected, policy), process.Output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

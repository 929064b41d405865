using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NodeHealth.Contracts;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// The read API on a real coordinator, from what agents reported and an operator did: the fleet summary, nodes page
/// by page, a node's timeline from its retained history, the NDJSON export a replay reads, and the repair queue and budgets.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReadApiTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Paths.TempDirectory("nh-read");
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Summary_pages_timeline_export_and_repair_queue_tell_what_happened_to_the_fleet()
    {
        var policy = Path.Combine(_directory, "repair.yaml");
        File.WriteAllText(policy, "overrides:\n  - condition: KernelReady\n    reason: ForkFailedOutOfPIDs\n    wait: 0s\n");
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        coordinator.ExtraArguments.AddRange(["--Repair:DecideEvery=1s", $"--Repair:PolicyFile={policy}"]);
        await coordinator.StartAsync();
        var sick = $"e2e-read-{_run}-a";
        var fine = new[] { $"e2e-read-{_run}-b", $"e2e-read-{_run}-c" };
        using (var client = new IngestClient(coordinator.GrpcAddress))
        {
            await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(sick),
                IngestClient.Batch(IngestClient.Finding(sick, 1, severity: Severity.Fatal, reason: "ForkFailedOutOfPIDs")));
            foreach (var name in fine)
                await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(name), IngestClient.Batch(IngestClient.Finding(name, 1)));
        }

        var summary = await Eventually.ValueAsync(() => coordinator.Http.GetFromJsonAsync<JsonObject>("/api/fleet/summary"),
            s => (int?)s?["nodes"] == 3, Patience, s => $"the summary never counted 3 nodes: {s}");
        Assert.Equal(1, (int?)summary!["byStatus"]!["Unhealthy"]);
        Assert.Equal(1, (int?)summary["byReason"]!["ForkFailedOutOfPIDs"]);
        Assert.Equal(3, (int?)summary["byPool"]!["(none)"]!["nodes"]);

        using var first = await coordinator.Http.GetAsync("/api/nodes?limit=2");
        var cursor = first.Headers.GetValues("X-Next-Cursor").Single();
        var second = JsonNode.Parse(await coordinator.Http.GetStringAsync($"/api/nodes?limit=2&cursor={cursor}"))!.AsArray();
        var firstPage = JsonNode.Parse(await first.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal([sick, .. fine], firstPage.Concat(second).Select(n => (string)n!["name"]!));
        Assert.Contains("rel=\"next\"", first.Headers.GetValues("Link").Single());

        var queue = await Eventually.ValueAsync(() => coordinator.Http.GetFromJsonAsync<JsonObject>("/api/repairs/queue"),
            q => q?["waiting"]?.AsArray().Any(d => (string?)d!["node"] == sick) == true, Patience, q => $"{sick} never queued: {q}");
        Assert.Equal(("DryRun", "Start"), ((string?)queue!["mode"], (string?)queue["waiting"]!.AsArray().Single(d => (string?)d!["node"] == sick)!["state"]));
        var budgets = await coordinator.Http.GetFromJsonAsync<JsonObject>("/api/repairs/budgets");
        Assert.Equal(3, (int?)budgets!["pools"]!.AsArray().Single(p => (string?)p!["pool"] == "(no pool)")!["nodes"]);

        using (var clear = new HttpRequestMessage(HttpMethod.Delete, $"/api/nodes/{sick}/conditions/KernelReady/faults/ForkFailedOutOfPIDs?note=fixed"))
        {
            clear.Headers.Authorization = new("Bearer", CoordinatorUnderTest.OperatorToken);
            (await coordinator.Http.SendAsync(clear)).EnsureSuccessStatusCode();
        }

        var timeline = await Eventually.ValueAsync(() => coordinator.Http.GetFromJsonAsync<JsonObject>($"/api/nodes/{sick}/timeline"),
            t => t?["entries"]?.AsArray().Any(e => (string?)e!["kind"] == "cleared") == true, Patience, t => $"no clearing in the timeline: {t}");
        var kinds = timeline!["entries"]!.AsArray().Select(e => $"{e!["kind"]}:{e["to"]}").ToList();
        Assert.Equal(["finding:Fatal", "transition:False", "cleared:"], kinds.Where(k => k is "finding:Fatal" or "transition:False" or "cleared:"));

        using var export = await coordinator.Http.GetAsync("/api/history/export");
        Assert.True(export.IsSuccessStatusCode, $"the export answered {export.StatusCode}:\n{coordinator.Output}");
        Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var ofSick = lines.Where(l => (string?)l["node"] == sick && l["source"] is null).ToList();
        Assert.Equal(ofSick.Select(l => (long)l["sequenceNr"]!).Order(), ofSick.Select(l => (long)l["sequenceNr"]!));
        Assert.Contains(ofSick, l => (string?)l["type"] == "FindingsRecorded" && (string?)l["event"]!["findings"]![0]!["reason"] == "ForkFailedOutOfPIDs");
        Assert.Contains(ofSick, l => (string?)l["type"] == "FaultsCleared");
        Assert.EndsWith("Z", (string)ofSick[0]["at"]!);
        Assert.Contains(lines, l => (string?)l["source"] == "repair-governor" && (string?)l["node"] == sick && (string?)l["type"] == "RepairDecisionRecorded");

        // What an operator does with the export: replay the policy that ran (it decides as the deployment did) and a
        // slower candidate (it would still be waiting where the deployment started a repair).
        var history = Path.Combine(_directory, "history.ndjson");
        File.WriteAllText(history, await export.Content.ReadAsStringAsync());
        var same = await ReplayAsync(policy, history);
        Assert.True((int)same["compared"]! >= 1 && (int)same["differences"]! == 0, $"the policy that ran differs from itself: {same}");
        var slower = Path.Combine(_directory, "slower.yaml");
        File.WriteAllText(slower, "overrides:\n  - condition: KernelReady\n    reason: ForkFailedOutOfPIDs\n    wait: 2h\n");
        var replayed = await ReplayAsync(slower, history);
        var differing = replayed["decisions"]!.AsArray().Where(d => (bool)d!["differs"]!).ToList();
        Assert.NotEmpty(differing);
        Assert.All(differing, d => Assert.Equal((sick, "Start Replace"), ((string?)d!["node"], (string?)d["recorded"])));
        Assert.StartsWith("Wait", (string?)differing[0]!["candidate"]);
        Assert.Equal(0, (int)replayed["candidateStarts"]!);
    }

    private static async Task<JsonObject> ReplayAsync(string policy, string history)
    {
        var report = Path.ChangeExtension(policy, ".replay.json");
        await using var replay = SystemProcess.Start("replay", Paths.Dotnet,
            [Paths.CoordinatorDll, "replay", policy, "--history", history, "--format", "json", "--out", report]);
        Assert.True(await replay.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, $"replay failed:\n{replay.Output}");
        return JsonNode.Parse(File.ReadAllText(report))!.AsObject();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

using System.Text.Json.Nodes;
using NodeHealth.Contracts;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// GET /api/events/stream on a real coordinator: a fault reported by an agent arrives as a `node` event, the repair
/// governor's decision as a `decision` event, an operator's approval as an `approval` event, without polling; a client
/// back with an id this coordinator cannot continue from first gets the current state.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LiveEventsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Paths.TempDirectory("nh-live");
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly HttpClient _streams = new() { Timeout = Timeout.InfiniteTimeSpan };

    [Fact]
    public async Task A_reported_fault_and_the_repair_decision_it_causes_arrive_on_the_stream_and_a_late_client_gets_the_current_state()
    {
        var policy = Path.Combine(_directory, "repair.yaml");
        File.WriteAllText(policy, "overrides:\n  - condition: KernelReady\n    reason: ForkFailedOutOfPIDs\n    wait: 0s\napproval:\n  actions: [Replace]\n");
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        coordinator.ExtraArguments.AddRange(["--Repair:DecideEvery=1s", $"--Repair:PolicyFile={policy}"]);
        await coordinator.StartAsync();
        var node = $"e2e-live-{_run}";
        using var timeout = new CancellationTokenSource(Patience);
        using var stream = await SseStream.OpenAsync(_streams, new Uri(coordinator.Http.BaseAddress!, "/api/events/stream"), null, timeout.Token);

        using (var client = new IngestClient(coordinator.GrpcAddress))
            await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(node),
                IngestClient.Batch(IngestClient.Finding(node, 1, severity: Severity.Fatal, reason: "ForkFailedOutOfPIDs")));

        // The node's change and the decision it causes come from different actors: either may be sent first.
        var (nodeEvent, decision) = await stream.BothAsync(
            e => e.Type == "node" && (string?)e.Data["name"] == node && e.Data.AsObject().Condition("KernelReady").Text("status") == "False",
            e => e.Type == "decision" && (string?)e.Data["node"] == node, timeout.Token);
        Assert.Equal("ForkFailedOutOfPIDs", nodeEvent.Data.AsObject().Condition("KernelReady").Text("reason"));
        Assert.Equal(("AwaitingApproval", true), ((string?)decision.Data["denial"], (bool)decision.Data["dryRun"]!));
        Assert.NotEqual(nodeEvent.Id, decision.Id);

        // An operator approves: the approval and the decision it lets through arrive, in either order.
        using (var approve = new HttpRequestMessage(HttpMethod.Post, $"/api/repairs/nodes/{node}/approve?by=alice"))
        {
            approve.Headers.Authorization = new("Bearer", CoordinatorUnderTest.OperatorToken);
            (await coordinator.Http.SendAsync(approve, timeout.Token)).EnsureSuccessStatusCode();
        }

        var (approval, started) = await stream.BothAsync(e => e.Type == "approval" && (string?)e.Data["node"] == node,
            e => e.Type == "decision" && (string?)e.Data["node"] == node && (string?)e.Data["state"] == "Start", timeout.Token);
        Assert.Equal(("Replace", "alice"), ((string?)approval.Data["action"], (string?)approval.Data["by"]));

        using var late = await SseStream.OpenAsync(_streams, new Uri(coordinator.Http.BaseAddress!, "/api/events/stream"), "1", timeout.Token);
        var (again, approvedAgain) = await late.BothAsync(e => e.Type == "node" && (string?)e.Data["name"] == node,
            e => e.Type == "approval" && (string?)e.Data["node"] == node, timeout.Token);
        Assert.Equal("False", again.Data.AsObject().Condition("KernelReady").Text("status"));
        Assert.Equal("alice", (string?)approvedAgain.Data["by"]);
    }

    public void Dispose()
    {
        _streams.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>A Server-Sent Events client as a script would write one: event, id and data lines, a blank line ends each.</summary>
public sealed class SseStream(HttpResponseMessage response, StreamReader reader) : IDisposable
{
    public sealed record Event(string Type, long Id, JsonNode Data);

    public static async Task<SseStream> OpenAsync(HttpClient http, Uri url, string? lastEventId, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        response.EnsureSuccessStatusCode();
        return new SseStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellation)));
    }

    /// <summary>Reads events until one matches (comments skipped).</summary>
    public async Task<Event> NextAsync(Func<Event, bool> wanted, CancellationToken cancellation)
    {
        var seen = new List<string>();
        while (true)
        {
            string? type = null, data = null;
            long id = 0;
            for (var line = await ReadAsync(cancellation); line.Length > 0; line = await ReadAsync(cancellation))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                    type = line[7..];
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                    id = long.Parse(line[4..]);
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    data = line[6..];
            }

            if (type is null || data is null)
                continue;
            var e = new Event(type, id, JsonNode.Parse(data)!);
            if (wanted(e))
                return e;
            seen.Add($"{type} {data}");
            if (seen.Count > 1000)
                throw new InvalidOperationException("no wanted event among the first 1000:\n" + string.Join("\n", seen.TakeLast(20)));
        }
    }

    /// <summary>Reads events until one matching each of <paramref name="first"/> and <paramref name="second"/> has come, in either order.</summary>
    public async Task<(Event First, Event Second)> BothAsync(Func<Event, bool> first, Func<Event, bool> second, CancellationToken cancellation)
    {
        Event? a = null, b = null;
        while (a is null || b is null)
        {
            var e = await NextAsync(e => (a is null && first(e)) || (b is null && second(e)), cancellation);
            if (a is null && first(e))
                a = e;
            else
                b = e;
        }

        return (a, b);
    }

    private async Task<string> ReadAsync(CancellationToken cancellation) =>
        await reader.ReadLineAsync(cancellation) ?? throw new EndOfStreamException("the event stream ended");

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}

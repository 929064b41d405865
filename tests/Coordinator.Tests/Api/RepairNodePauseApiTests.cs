using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodeHealth.Coordinator.Api.Live;

namespace NodeHealth.Coordinator.Tests.Api;

/// <summary>POST /api/repairs/nodes/{name}/pause and /resume: the operator token first, then the name, then the governor's answer.</summary>
[Collection(InProcessCoordinatorCollection.Name)]
public sealed class RepairNodePauseApiTests(InProcessCoordinator coordinator)
{
    [Theory]
    [InlineData(null, "pause", "ip-10-0-0-9", HttpStatusCode.Unauthorized, "operator token")]
    [InlineData("wrong-token", "pause", "ip-10-0-0-9", HttpStatusCode.Unauthorized, "operator token")]
    [InlineData(null, "resume", "ip-10-0-0-9", HttpStatusCode.Unauthorized, "operator token")]
    [InlineData(InProcessCoordinator.OperatorToken, "pause", "NOT_A_NODE", HttpStatusCode.BadRequest, "A node name is a Kubernetes DNS subdomain")]
    [InlineData(InProcessCoordinator.OperatorToken, "resume", "NOT_A_NODE", HttpStatusCode.BadRequest, "A node name is a Kubernetes DNS subdomain")]
    public async Task A_node_pause_or_resume_needs_the_token_and_a_node_name(string? token, string verb, string node, HttpStatusCode status, string says)
    {
        using var response = await Send(token, $"/api/repairs/nodes/{node}/{verb}?note=flaky");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(says, ((string?)problem["detail"] ?? "") + (string?)problem["title"], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ip-10-0-0-9", await PausedNodes());
    }

    [Fact]
    public async Task A_paused_node_is_listed_with_who_and_why_until_it_is_resumed()
    {
        var paused = await Answer(await Send(InProcessCoordinator.OperatorToken, "/api/repairs/nodes/ip-10-0-0-8/pause?by=bob&note=investigating%20a%20flaky%20NIC"));
        Assert.True((bool)paused["changed"]!);
        Assert.StartsWith("repair of ip-10-0-0-8 paused: no new repair of it starts until resumed", (string)paused["detail"]!);
        Assert.False((bool)(await Answer(await Send(InProcessCoordinator.OperatorToken, "/api/repairs/nodes/ip-10-0-0-8/pause")))["changed"]!);

        var listed = JsonNode.Parse(await coordinator.Http.GetStringAsync("/api/repairs"))!["pausedNodes"]!.AsArray().Single(p => (string?)p!["node"] == "ip-10-0-0-8")!;
        Assert.Equal(("bob", "investigating a flaky NIC"), ((string?)listed["by"], (string?)listed["note"]));
        Assert.NotNull((DateTime?)listed["since"]);

        var resumed = await Answer(await Send(InProcessCoordinator.OperatorToken, "/api/repairs/nodes/ip-10-0-0-8/resume?by=bob"));
        Assert.Equal((true, "repair of ip-10-0-0-8 resumed: the policy judges it again"), ((bool)resumed["changed"]!, (string?)resumed["detail"]));
        Assert.DoesNotContain("ip-10-0-0-8", await PausedNodes());
        var again = await Answer(await Send(InProcessCoordinator.OperatorToken, "/api/repairs/nodes/ip-10-0-0-8/resume"));
        Assert.Equal((false, "repair of ip-10-0-0-8 is not paused"), ((bool)again["changed"]!, (string?)again["detail"]));
    }

    [Fact]
    public async Task A_pause_and_a_resume_reach_the_live_feed_as_pause_events()
    {
        using var live = coordinator.Services.GetRequiredService<LiveFeed>().Subscribe();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await Answer(await Send(InProcessCoordinator.OperatorToken, "/api/repairs/nodes/ip-10-0-0-7/pause?by=bob&note=flaky"));
        var paused = await NextPause(live, "ip-10-0-0-7", timeout.Token);
        await Answer(await Send(InProcessCoordinator.OperatorToken, "/api/repairs/nodes/ip-10-0-0-7/resume?by=carol"));
        var resumed = await NextPause(live, "ip-10-0-0-7", timeout.Token);

        Assert.Equal(("bob", "flaky", null), ((string?)paused["by"], (string?)paused["note"], (bool?)paused["resumed"]));
        Assert.Equal(("carol", true), ((string?)resumed["by"], (bool?)resumed["resumed"]));
    }

    private static async Task<JsonNode> NextPause(LiveSubscription live, string node, CancellationToken cancellation)
    {
        while (true)
        {
            var e = await live.Events.ReadAsync(cancellation);
            if (e.Type == LiveEvent.Pause && JsonNode.Parse(e.Data) is { } data && (string?)data["node"] == node)
                return data;
        }
    }

    private async Task<HttpResponseMessage> Send(string? token, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (token is not null)
            request.Headers.Authorization = new("Bearer", token);
        return await coordinator.Http.SendAsync(request);
    }

    private static async Task<JsonNode> Answer(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }
    }

    private async Task<string[]> PausedNodes() =>
        [.. JsonNode.Parse(await coordinator.Http.GetStringAsync("/api/repairs"))!["pausedNodes"]!.AsArray().Select(p => (string)p!["node"]!)];
}

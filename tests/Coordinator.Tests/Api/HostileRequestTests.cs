using System.Net;
using System.Text.Json.Nodes;

namespace NodeHealth.Coordinator.Tests.Api;

/// <summary>
/// Requests an attacker or a broken script sends get a 400 problem+json that says what is wrong, never a 500, a hang
/// or a silently wider answer (an unknown filter must not list everything).
/// </summary>
[Collection(InProcessCoordinatorCollection.Name)]
public sealed class HostileRequestTests(InProcessCoordinator coordinator)
{
    [Theory]
    [InlineData("/api/nodes?cursor=not-a-cursor", "cursor is not one this API gave out")]
    [InlineData("/api/nodes?cursor=djE6Tk9UX0FfTk9ERQ", "cursor is not one this API gave out")]
    [InlineData("/api/nodes?limit=1000000", "limit must be a whole number from 1 to 1000")]
    [InlineData("/api/nodes?limit=-5", "limit must be a whole number from 1 to 1000")]
    [InlineData("/api/nodes?limit=99999999999999999999999", "limit must be a whole number from 1 to 1000")]
    [InlineData("/api/nodes?condtion=KernelReady", "'condtion' is not a parameter of /api/nodes")]
    [InlineData("/api/nodes?condition=Ready", "condition 'Ready' is not one of")]
    [InlineData("/api/nodes?status=1", "status '1' is not one of True, False, Unknown")]
    [InlineData("/api/nodes?label=team", "label 'team' must be key=value")]
    [InlineData("/api/fleet/summary?pool=gpu", "'pool' is not a parameter of /api/fleet/summary")]
    [InlineData("/api/nodes/NOT_A_NODE", "A node name is a Kubernetes DNS subdomain")]
    [InlineData("/api/nodes/NOT_A_NODE/timeline", "A node name is a Kubernetes DNS subdomain")]
    [InlineData("/api/nodes/ip-10-0-0-1/timeline?limit=0", "limit must be a whole number from 1 to 10000")]
    [InlineData("/api/nodes/ip-10-0-0-1/timeline?since=yesterday", "since is an ISO-8601 time")]
    [InlineData("/api/history/export?node=..", "A node name is a Kubernetes DNS subdomain")]
    [InlineData("/api/history/export?format=csv", "'format' is not a parameter of /api/history/export")]
    [InlineData("/api/repairs/history?cursor=AAAA", "cursor is not one this API gave out")]
    [InlineData("/api/repairs/history?node=UPPER", "A node name is a Kubernetes DNS subdomain")]
    [InlineData("/api/repairs/queue?all=1", "'all' is not a parameter of /api/repairs/queue")]
    [InlineData("/api/events/stream?lastEventId=abc", "Last-Event-ID")]
    public async Task A_bad_request_is_answered_400_with_a_problem_that_says_what_is_wrong(string url, string says)
    {
        using var response = await coordinator.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int?)problem["status"]);
        Assert.Contains(says, (string?)problem["detail"] ?? "");
    }

    [Fact]
    public async Task A_huge_filter_value_is_refused_not_matched()
    {
        using var response = await coordinator.Http.GetAsync("/api/nodes?pool=" + new string('p', 5000));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too long", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Control_characters_in_a_filter_are_refused_and_not_echoed()
    {
        using var response = await coordinator.Http.GetAsync("/api/nodes?reason=Xid%0D%0AInjected:%20header");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"] ?? "";
        Assert.StartsWith("'Xid??Injected: header' is too long or holds control characters", detail);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace NodeHealth.Coordinator.Tests.Api;

/// <summary>Every call that changes repair needs the operator token: without it, or with another, the answer is 401 before anything is asked of the governor.</summary>
[Collection(InProcessCoordinatorCollection.Name)]
public sealed class RepairOperatorTokenTests(InProcessCoordinator coordinator)
{
    public static TheoryData<string, string?, string?> Calls()
    {
        string[] calls =
        [
            "/api/repairs/pause?note=rollout&by=mallory",
            "/api/repairs/resume?by=mallory",
            "/api/repairs/zones/eu-west-1a/resume?by=mallory",
            "/api/repairs/r-1/cancel?note=oops&by=mallory",
            "/api/repairs/nodes/ip-10-0-0-1/approve?note=checked&by=mallory",
        ];
        (string? Scheme, string? Token)[] credentials = [(null, null), ("Bearer", "wrong-token"), ("Bearer", ""), ("Basic", InProcessCoordinator.OperatorToken)];
        var data = new TheoryData<string, string?, string?>();
        foreach (var call in calls)
            foreach (var (scheme, token) in credentials)
                data.Add(call, scheme, token);
        return data;
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task A_state_changing_repair_call_without_the_operator_token_is_401(string call, string? scheme, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, call);
        if (scheme is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);

        using var response = await coordinator.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Operator token required", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["title"]);
    }

    [Fact]
    public async Task A_refused_pause_changes_nothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/repairs/pause?by=mallory");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token");

        using var response = await coordinator.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var repairs = JsonNode.Parse(await coordinator.Http.GetStringAsync("/api/repairs"))!;
        Assert.NotEqual("mallory", (string?)repairs["paused"]?["by"]);
    }
}

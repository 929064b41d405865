using System.Net;
using System.Text.Json.Nodes;

namespace NodeHealth.Coordinator.Tests.Api;

/// <summary>POST /api/repairs/nodes/{name}/approve: the operator token first, then the name, then the governor's answer.</summary>
[Collection(InProcessCoordinatorCollection.Name)]
public sealed class RepairApprovalApiTests(InProcessCoordinator coordinator)
{
    [Theory]
    [InlineData(null, "ip-10-0-0-1", HttpStatusCode.Unauthorized, "operator token")]
    [InlineData("wrong-token", "ip-10-0-0-1", HttpStatusCode.Unauthorized, "operator token")]
    [InlineData(InProcessCoordinator.OperatorToken, "NOT_A_NODE", HttpStatusCode.BadRequest, "A node name is a Kubernetes DNS subdomain")]
    [InlineData(InProcessCoordinator.OperatorToken, "ip-10-0-0-1", HttpStatusCode.NotFound, "no repair is pending for ip-10-0-0-1")]
    public async Task An_approval_needs_the_token_a_node_name_and_a_pending_repair(string? token, string node, HttpStatusCode status, string says)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/repairs/nodes/{node}/approve?note=checked");
        if (token is not null)
            request.Headers.Authorization = new("Bearer", token);

        using var response = await coordinator.Http.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(says, ((string?)problem["detail"] ?? "") + (string?)problem["title"], StringComparison.OrdinalIgnoreCase);
    }
}

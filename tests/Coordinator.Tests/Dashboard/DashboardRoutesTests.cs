using System.Net;
using NodeHealth.Coordinator.Dashboard;
using NodeHealth.Coordinator.Tests.Api;

namespace NodeHealth.Coordinator.Tests.Dashboard;

/// <summary>The dashboard's routes on the real coordinator (in process, no agent): what a browser and a hostile client get.</summary>
[Collection(InProcessCoordinatorCollection.Name)]
public sealed class DashboardRoutesTests(InProcessCoordinator coordinator)
{
    [Fact]
    public async Task The_root_leads_to_the_fleet_page_which_is_html_never_cached_and_under_a_strict_content_security_policy()
    {
        using var root = await coordinator.Http.GetAsync("/"); // The test client follows the redirect, as a browser does.
        Assert.Equal("/dashboard", root.RequestMessage?.RequestUri?.AbsolutePath);

        using var fleet = await coordinator.Http.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, fleet.StatusCode);
        Assert.Equal("text/html", fleet.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", fleet.Headers.CacheControl?.ToString());
        Assert.Equal(Layout.ContentSecurityPolicy, fleet.Headers.GetValues("Content-Security-Policy").Single());
        var html = await fleet.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Fleet</h1>", html);
        Assert.Contains("data-events=\"/api/events/stream\"", html);
    }

    [Fact]
    public async Task Assets_are_served_from_the_coordinator_with_their_hash_and_an_unknown_one_is_404()
    {
        var html = await coordinator.Http.GetStringAsync("/dashboard/repairs");
        var href = System.Text.RegularExpressions.Regex.Match(html, "/dashboard/assets/dashboard\\.js\\?v=[0-9a-f]{12}").Value;
        Assert.NotEmpty(href);

        using var script = await coordinator.Http.GetAsync(href);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("EventSource", await script.Content.ReadAsStringAsync());
        using var missing = await coordinator.Http.GetAsync("/dashboard/assets/..%2Fappsettings.json");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("no-such-node", HttpStatusCode.NotFound, "is not known: no agent has reported for it")]
    [InlineData("Not_A_Node_Name", HttpStatusCode.BadRequest, "is not a node name")]
    public async Task A_node_page_for_an_unknown_or_invalid_name_says_so_as_a_page(string name, HttpStatusCode status, string text)
    {
        using var page = await coordinator.Http.GetAsync($"/dashboard/nodes/{name}");

        Assert.Equal(status, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains(text, await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_hostile_node_name_is_refused_without_being_echoed_as_markup()
    {
        using var page = await coordinator.Http.GetAsync("/dashboard/nodes/%3Cscript%3Ealert(1)%3C%2Fscript%3E" + new string('x', 4000));

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("Node '&lt;script&gt;alert(1)", html);
    }
}

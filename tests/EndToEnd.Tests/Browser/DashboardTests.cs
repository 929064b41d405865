using System.Text.Json.Nodes;
using Microsoft.Playwright;
using NodeHealth.EndToEnd.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NodeHealth.EndToEnd.Tests.Browser;

/// <summary>
/// The dashboard in headless chromium against a running coordinator and agent: live data, a fault written to the real
/// /dev/kmsg appearing without a reload, operator actions with and without the token, and screenshots of every page.
/// </summary>
public sealed class DashboardTests(BrowserFixture browser, DashboardStand stand)
    : IClassFixture<BrowserFixture>, IClassFixture<DashboardStand>, IAsyncLifetime
{
    /// <summary>Long enough for the page's slowest path (the 5 s poll when no event stream is served) and a governor round.</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions Live = new() { Timeout = 20_000 };

    private static bool Refused401(string problem) => problem.Contains("status of 401");

    public Task InitializeAsync() => stand.RestoreAsync();

    public Task DisposeAsync() => stand.RestoreAsync();

    [Fact]
    public async Task A_fault_written_to_dev_kmsg_turns_the_nodes_tile_unhealthy_and_lists_it_with_a_repair_countdown_without_a_reload()
    {
        await using var page = await browser.OpenAsync(stand.BaseUrl);
        await page.Page.GotoAsync("/dashboard");
        var tile = page.Page.Locator($".heatmap .tile[data-node='{stand.Node}']");
        await Expect(tile).ToHaveAttributeAsync("data-level", "True", Live);
        await Expect(page.Page.Locator("#live")).ToHaveAttributeAsync("data-live", "stream");
        await page.Page.EvaluateAsync("() => { window.e2eSameDocument = true; }");

        KernelLog.Write(TestCatalog.FatalLine(stand.Run, "fleet page check"));

        await Expect(tile).ToHaveAttributeAsync("data-level", "False", Live);
        var item = page.Page.Locator($".attention > li[data-node='{stand.Node}']");
        await Expect(item).ToContainTextAsync("KernelReady False");
        await Expect(item).ToContainTextAsync(TestCatalog.FatalReason);
        await Expect(item).ToContainTextAsync("fleet page check");
        // DryRun, KernelReady's default wait (30 min): the governor's next round says when it would act.
        await Expect(item.Locator("[data-outlook='wait'] [data-countdown]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(item.Locator("[data-countdown]")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^in (29|30)m \d+s$"));
        await Expect(page.Page.Locator("[data-count='unhealthy'] .value")).ToHaveTextAsync("1");
        Assert.True(await page.Page.EvaluateAsync<bool>("() => window.e2eSameDocument === true"), "the page was reloaded");

        await page.ScreenshotAsync("dashboard-fleet");
        page.AssertNoProblems();
    }

    [Fact]
    public async Task The_node_page_refuses_to_clear_a_fault_without_the_operator_token_and_clears_it_with_the_token()
    {
        await stand.BreakAsync("node page check");
        await using var page = await browser.OpenAsync(stand.BaseUrl);
        await page.Page.GotoAsync($"/dashboard/nodes/{stand.Node}");
        var kernelReady = page.Page.Locator("tr[data-condition='KernelReady']");
        await Expect(kernelReady).ToHaveAttributeAsync("data-status", "False");
        await Expect(page.Page.Locator($"tr[data-fault='KernelReady/{TestCatalog.FatalReason}']")).ToContainTextAsync("node page check");
        var clear = page.Page.GetByRole(AriaRole.Button, new() { Name = $"Clear {TestCatalog.FatalReason}" });

        await clear.ClickAsync();
        var answer = page.Page.Locator("#action-result");
        await Expect(answer).ToHaveAttributeAsync("data-outcome", "refused");
        await Expect(answer).ToContainTextAsync("refused (401) — Operator token required");
        await Expect(answer).ToHaveAttributeAsync("role", "alert");
        await page.ScreenshotAsync("dashboard-node-refused");
        Assert.Equal("False", (await stand.Coordinator.NodeAsync(stand.Node)).Condition("KernelReady").Text("status"));

        await page.Page.GetByLabel("Operator token").FillAsync(CoordinatorUnderTest.OperatorToken);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Keep for this tab" }).ClickAsync();
        await Expect(page.Page.Locator("#token-state")).ToHaveAttributeAsync("data-state", "set");
        await clear.ClickAsync();

        await Expect(answer).ToHaveAttributeAsync("data-outcome", "done");
        await Expect(kernelReady).ToHaveAttributeAsync("data-status", "True", Live);
        await Expect(page.Page.Locator($"tr[data-fault='KernelReady/{TestCatalog.FatalReason}']")).ToHaveCountAsync(0);
        Assert.Equal("True", (await stand.Coordinator.NodeAsync(stand.Node)).Condition("KernelReady").Text("status"));
        await page.ScreenshotAsync("dashboard-node");
        page.AssertNoProblems(Refused401);
    }

    [Fact]
    public async Task The_repairs_page_pauses_and_resumes_repairs_with_the_operator_token()
    {
        await using var page = await browser.OpenAsync(stand.BaseUrl);
        await page.Page.GotoAsync("/dashboard/repairs");
        await Expect(page.Page.Locator("[data-mode]")).ToHaveAttributeAsync("data-mode", "DryRun");
        await Expect(page.Page.Locator("[data-paused='false']")).ToHaveCountAsync(1);
        await page.Page.GetByLabel("Operator token").FillAsync(CoordinatorUnderTest.OperatorToken);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Keep for this tab" }).ClickAsync();

        await page.Page.GetByLabel("Why").FillAsync("e2e maintenance");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Pause all repairs" }).ClickAsync();

        await Expect(page.Page.Locator("#action-result")).ToHaveAttributeAsync("data-outcome", "done");
        await Expect(page.Page.Locator(".banner[data-paused='true']")).ToContainTextAsync("e2e maintenance", new() { Timeout = 20_000 });
        var repairs = await stand.Coordinator.Http.GetStringAsync("/api/repairs");
        Assert.Equal("e2e maintenance", (string?)JsonNode.Parse(repairs)!["paused"]?["note"]);
        await page.ScreenshotAsync("dashboard-repairs");

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Resume repairs" }).ClickAsync();
        await Expect(page.Page.Locator("[data-paused='false']")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Every_page_renders_accessibly_and_without_errors_on_a_laptop_and_a_wall_screen()
    {
        await using var page = await browser.OpenAsync(stand.BaseUrl);
        foreach (var (path, name, heading) in new[]
                 {
                     ("/", "fleet", "Fleet"), ($"/dashboard/nodes/{stand.Node}", "node", $"Node {stand.Node}"),
                     ("/dashboard/repairs", "repairs", "Repairs"), ("/dashboard/simulations", "simulations", "Simulations"),
                 })
        {
            await page.Page.SetViewportSizeAsync(BrowserFixture.Laptop.Width, BrowserFixture.Laptop.Height);
            var response = await page.Page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await Expect(page.Page.Locator("h1")).ToContainTextAsync(heading);
            await Expect(page.Page.Locator("main")).Not.ToBeEmptyAsync();
            await page.AssertAccessibleAsync(); // The markup is the same at every size: checked once.
            await page.ScreenshotAsync($"dashboard-{name}-laptop");
            await page.Page.SetViewportSizeAsync(2560, 1440);
            await page.ScreenshotAsync($"dashboard-{name}-wall");
        }

        page.AssertNoProblems();
    }

    [Fact]
    public async Task The_simulations_page_runs_a_scenario_and_shows_its_report_with_a_series_per_policy_in_every_chart()
    {
        await using var page = await browser.OpenAsync(stand.BaseUrl);
        await page.Page.GotoAsync("/dashboard/simulations");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Run the simulation" }).ClickAsync();

        await ReportAssertions.EveryChartHasDataForEachPolicyAsync(page.Page.Locator("#simulation-report"), ["eks-defaults", "nights-only"]);
        await Expect(page.Page.Locator("#simulation-status")).ToContainTextAsync("Simulated: Repair policy simulation: dashboard-example");
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("dashboard-simulation-report");
        page.AssertNoProblems();
    }
}

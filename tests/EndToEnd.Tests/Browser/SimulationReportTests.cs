using NodeHealth.Coordinator.Dashboard;
using NodeHealth.EndToEnd.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NodeHealth.EndToEnd.Tests.Browser;

/// <summary>
/// The simulator's standalone HTML report (`coordinator simulate … --format html`) opened in chromium: every chart
/// draws a series with data for every policy, and the page logs no error.
/// </summary>
public sealed class SimulationReportTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly string _directory = Paths.TempDirectory("nh-sim");

    [Fact]
    public async Task The_html_report_of_simulate_draws_every_chart_with_data_for_each_policy_and_logs_no_error()
    {
        var scenario = Path.Combine(_directory, "scenario.yaml");
        var report = Path.Combine(_directory, "report.html");
        File.WriteAllText(scenario, SimulationsPage.Example);
        await using (var simulate = SystemProcess.Start("simulate", Paths.Dotnet,
                         [Paths.CoordinatorDll, "simulate", scenario, "--format", "html", "--out", report]))
            Assert.True(await simulate.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, $"simulate failed:\n{simulate.Output}");

        await using var page = await browser.OpenAsync("http://127.0.0.1/");
        await page.Page.GotoAsync(new Uri(report).AbsoluteUri);

        await ReportAssertions.EveryChartHasDataForEachPolicyAsync(page.Page.Locator("body"), ["eks-defaults", "nights-only"]);
        await page.ScreenshotAsync("simulation-report");
        page.AssertNoProblems();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

/// <summary>What the report's chart markers promise (data-chart, data-policy, data-points), checked in the page as drawn.</summary>
public static class ReportAssertions
{
    public static readonly string[] Charts = ["capacity", "repairs", "time-to-repair"];

    public static async Task EveryChartHasDataForEachPolicyAsync(Microsoft.Playwright.ILocator report, IReadOnlyList<string> policies)
    {
        foreach (var chart in Charts)
        {
            var figure = report.Locator($"figure.chart[data-chart='{chart}']");
            await Expect(figure).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            Assert.True(await figure.Locator("svg").BoundingBoxAsync() is { Width: > 100, Height: > 50 }, $"the {chart} chart is not drawn");
            foreach (var policy in policies)
            {
                var series = figure.Locator($"[data-policy='{policy}']");
                await Expect(series).ToHaveCountAsync(1);
                var points = int.Parse(await series.GetAttributeAsync("data-points") ?? "0");
                Assert.True(points > 0, $"the {chart} chart has no points for {policy}");
                Assert.True(await series.EvaluateAsync<int>("s => s.tagName === 'polyline' ? s.points.numberOfItems : s.children.length") >= points,
                    $"the {chart} chart draws fewer marks for {policy} than its data-points say ({points})");
            }
        }
    }
}

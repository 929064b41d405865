namespace NodeHealth.EndToEnd.Tests.Browser;

/// <summary>The browser foundation itself: chromium starts, and a page's errors are caught rather than missed.</summary>
public sealed class BrowserFixtureTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_page_that_logs_an_error_and_throws_is_reported_with_both()
    {
        await using var page = await browser.OpenAsync("http://127.0.0.1/");
        await page.Page.SetContentAsync("""
            <!doctype html><title>broken</title><p id="done">rendered</p>
            <script>console.error("e2e console error"); setTimeout(() => { throw new Error("e2e uncaught"); });</script>
            """);
        await Microsoft.Playwright.Assertions.Expect(page.Page.Locator("#done")).ToHaveTextAsync("rendered");
        // Both reach the test over the driver's connection a moment later.
        await Support.Eventually.TrueAsync(() => Task.FromResult(page.Problems.Count >= 2), TimeSpan.FromSeconds(5),
            () => $"problems recorded: {string.Join('\n', page.Problems)}");

        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => page.AssertNoProblems());
        Assert.Contains("console error: e2e console error", failure.Message);
        Assert.Contains("e2e uncaught", failure.Message);
        page.AssertNoProblems(problem => problem.Contains("e2e console error") || problem.Contains("e2e uncaught"));
        Assert.True(File.Exists(await page.ScreenshotAsync("browser-fixture-self-test")));
    }

    [Fact]
    public async Task A_page_with_an_unlabelled_field_and_an_image_without_text_fails_the_accessibility_check()
    {
        await using var page = await browser.OpenAsync("http://127.0.0.1/");
        await page.Page.SetContentAsync("""<!doctype html><html lang="en"><title>inaccessible</title><main><img src="data:,"><input type="text"></main></html>""");

        var failure = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(page.AssertAccessibleAsync);

        Assert.Contains("image-alt (critical)", failure.Message);
        Assert.Contains("label (critical)", failure.Message);
    }
}

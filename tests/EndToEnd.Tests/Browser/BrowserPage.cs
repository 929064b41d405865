using System.Collections.Concurrent;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace NodeHealth.EndToEnd.Tests.Browser;

/// <summary>
/// A page under test and what went wrong in it: console errors, uncaught exceptions, requests that failed on the
/// network and responses of 500 or more. A test asserts on them with <see cref="AssertNoProblems"/>.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _problems = new();

    public BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "assert")
                _problems.Enqueue($"console {message.Type}: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => _problems.Enqueue($"uncaught: {error}");
        page.RequestFailed += (_, request) =>
        {
            // A stream the page closes as it navigates away is no failure.
            if (request.Failure is not "net::ERR_ABORTED")
                _problems.Enqueue($"request failed: {request.Method} {request.Url}: {request.Failure}");
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 500)
                _problems.Enqueue($"response {response.Status}: {response.Request.Method} {response.Url}");
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Problems => [.. _problems];

    /// <summary>
    /// Fails with every problem recorded so far, except those <paramref name="expected"/> accepts (e.g. the console
    /// line chromium logs for a 401 the test provoked on purpose).
    /// </summary>
    public void AssertNoProblems(Func<string, bool>? expected = null)
    {
        var unexpected = Problems.Where(p => expected is null || !expected(p)).ToList();
        Assert.True(unexpected.Count == 0, $"the page at {Page.Url} had problems:\n{string.Join('\n', unexpected)}");
    }

    /// <summary>
    /// Runs axe-core's WCAG 2 A/AA rules on the page as it is now and fails with every violation (rule, impact, the
    /// elements concerned).
    /// </summary>
    public async Task AssertAccessibleAsync()
    {
        var result = await Page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}").ToList();
        Assert.True(violations.Count == 0, $"accessibility violations at {Page.Url}:\n{string.Join('\n', violations)}");
    }

    /// <summary>A full-page screenshot kept in <see cref="Artifacts.Directory"/> as <paramref name="name"/>.png; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Artifacts.PathFor(name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}

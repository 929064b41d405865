using Microsoft.Playwright;

namespace NodeHealth.EndToEnd.Tests.Browser;

/// <summary>
/// One headless chromium for a test class (IClassFixture): starting a browser costs about a second, a page a few
/// milliseconds. Each test opens its own <see cref="BrowserPage"/>, which records what went wrong in the page.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>A laptop screen; tests that check a wall screen pass their own size.</summary>
    public static readonly ViewportSize Laptop = new() { Width = 1440, Height = 900 };

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath(),
            Headless = true,
            // No GPU in CI; /dev/shm in containers is small.
            Args = ["--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A new page in its own context (no cookies or storage shared with other tests).</summary>
    public async Task<BrowserPage> OpenAsync(string baseUrl, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = viewport ?? Laptop });
        var page = await context.NewPageAsync();
        return new BrowserPage(context, page);
    }

    private IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser fixture was not initialized");

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}

using NodeHealth.Coordinator.Api.OpenApi;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>
/// The page around every dashboard view: navigation, the operator token (kept in the tab's sessionStorage by the
/// script), the live-update indicator and the place where an operator action's answer is shown.
/// </summary>
public static class Layout
{
    /// <summary>No inline script or style and nothing from another origin: the dashboard works offline and resists injection.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly (string Page, string Href, string Label)[] Pages =
    [
        ("fleet", DashboardRoutes.Fleet, "Fleet"),
        ("repairs", DashboardRoutes.Repairs, "Repairs"),
        ("simulations", DashboardRoutes.Simulations, "Simulations"),
    ];

    /// <summary>
    /// <paramref name="events"/>: the live event stream's path, or null when this coordinator serves none (the page
    /// then refreshes on a timer and says so). <paramref name="node"/>: the node a node page is about (its events only).
    /// </summary>
    public static IResult Page(string page, string title, string main, string? events, DateTime now, string? node = null, int status = 200, bool live = true)
    {
        var liveState = !live ? "off" : events is null ? "polling" : "connecting";
        var liveText = !live ? "This page changes only when you run something"
            : events is null ? "Live: refreshing every 5 s (this coordinator serves no event stream)" : "Live: connecting…";
        var navigation = string.Concat(Pages.Select(p =>
            $"<li><a href=\"{p.Href}\"{(p.Page == page ? " aria-current=\"page\"" : "")}>{p.Label}</a></li>"));
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Html.Text(title)} · node-health</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="{DashboardAssets.Href("dashboard.css")}">
            <script src="{DashboardAssets.Href("dashboard.js")}" defer></script>
            </head>
            <body data-page="{page}" data-node="{Html.Text(node)}" data-events="{Html.Text(live ? events : null)}" data-live="{(live ? "on" : "off")}">
            <a class="skip" href="#main">Skip to content</a>
            <header class="top">
              <a class="brand" href="{DashboardRoutes.Fleet}">node-health</a>
              <nav aria-label="Dashboard"><ul>{navigation}</ul></nav>
              <p id="live" class="live" data-live="{liveState}">{liveText}</p>
              <form id="token-form" class="token" autocomplete="off">
                <label for="operator-token">Operator token</label>
                <input id="operator-token" name="token" type="password" spellcheck="false" aria-describedby="token-state">
                <button type="submit">Keep for this tab</button>
                <button type="button" id="token-forget">Forget</button>
                <span id="token-state" class="token-state">No token: operator actions will be refused.</span>
              </form>
            </header>
            <div id="action-result" class="action-result" role="status" aria-live="polite"></div>
            <main id="main" tabindex="-1">
            {main}
            <p class="updated">Rendered {Html.Time(now, now)} by this coordinator.</p>
            </main>
            <footer class="bottom">node-health · <a href="/{ApiDocument.PagePrefix}">API reference</a></footer>
            </body>
            </html>
            """;
        return new DashboardPage(html, status);
    }

    /// <summary>The answer of every page: HTML, never cached (it is live), under the content security policy.</summary>
    private sealed class DashboardPage(string html, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
            await response.WriteAsync(html, context.RequestAborted);
        }
    }
}

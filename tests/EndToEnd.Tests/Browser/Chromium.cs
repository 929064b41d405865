namespace NodeHealth.EndToEnd.Tests.Browser;

/// <summary>
/// Debian's chromium, which Playwright drives by path: Playwright's own browser download is not available where
/// these tests run. NODE_HEALTH_CHROMIUM names another executable.
/// </summary>
public static class Chromium
{
    public const string Variable = "NODE_HEALTH_CHROMIUM";
    public const string DebianPath = "/usr/bin/chromium";

    public static string ExecutablePath()
    {
        var path = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured ? configured : DebianPath;
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"No chromium at {path}: run scripts/test (it installs Debian's chromium package: apt-get install chromium) or set {Variable} to a Chromium executable");
        return path;
    }
}

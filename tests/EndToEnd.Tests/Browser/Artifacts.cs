using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests.Browser;

/// <summary>
/// Where browser tests keep what a person looks at after a run (screenshots): NODE_HEALTH_TEST_ARTIFACTS, else
/// TestResults/browser under the repository root (ignored by git).
/// </summary>
public static class Artifacts
{
    public const string Variable = "NODE_HEALTH_TEST_ARTIFACTS";

    public static string Directory { get; } = Create();

    /// <summary>A path in the artifacts folder for <paramref name="name"/> (letters, digits, '-', '_' and '.' kept).</summary>
    public static string PathFor(string name) =>
        Path.Combine(Directory, new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]));

    private static string Create()
    {
        var root = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(Paths.Repository, "TestResults");
        var directory = Path.Combine(root, "browser");
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }
}

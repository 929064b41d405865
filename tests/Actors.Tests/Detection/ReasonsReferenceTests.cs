using NodeHealth.Actors.Detection;

namespace NodeHealth.Actors.Tests.Detection;

public sealed class ReasonsReferenceTests
{
    private static readonly string Document = Path.Combine(RepositoryRoot(), "docs", "reasons.md");

    [Fact]
    public void Reasons_reference_in_docs_matches_the_built_in_catalog()
    {
        var rendered = ReasonsReference.Render(CatalogLoader.LoadBuiltIn());
        if (Environment.GetEnvironmentVariable("RECORD_REASONS_REFERENCE") == "1")
            File.WriteAllText(Document, rendered);

        Assert.True(File.Exists(Document) && File.ReadAllText(Document) == rendered,
            "docs/reasons.md is stale: regenerate it with RECORD_REASONS_REFERENCE=1 dotnet test tests/Actors.Tests");
    }

    [Fact]
    public void Every_built_in_reason_is_in_the_reference()
    {
        var rendered = ReasonsReference.Render(CatalogLoader.LoadBuiltIn());

        Assert.All(CatalogLoader.LoadBuiltIn().Rules, r => Assert.Contains($"| `{r.Reason}` |", rendered));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Actors.sln not found");
    }
}

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

    [Fact]
    public void Trigger_column_is_the_rules_own_words_else_its_source_and_literals()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: NetworkingReady
                reasons:
                  - { reason: LinkFlap, severity: Warning, source: kmsg, match: 'Link is Down', literals: ['Link is Down'], trigger: 'kmsg: a NIC driver reports its link down' }
                  - { reason: ProbeOnly, severity: Warning, source: probe-interfaces }
            """);

        var rendered = ReasonsReference.Render(catalog);

        Assert.Contains("| `SoftLockup` | Warning | kmsg: `BUG:` |", rendered);
        Assert.Contains("| `AppCrash` | Warning | kmsg: `traps:`, `]: segfault at` |", rendered);
        Assert.Contains("| `LinkFlap` | Warning | kmsg: a NIC driver reports its link down |", rendered);
        Assert.Contains("| `ProbeOnly` | Warning | probe-interfaces |", rendered);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Actors.sln not found");
    }
}

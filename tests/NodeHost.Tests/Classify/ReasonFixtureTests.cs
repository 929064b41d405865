using NodeHealth.Actors.Detection;

namespace NodeHealth.NodeHost.Tests.Classify;

/// <summary>
/// Every log-line reason of the built-in catalog, through <c>classify</c> as a user runs it: real-format lines in
/// every input form of their source yield exactly the expected finding at the line the event starts, and near
/// misses yield nothing (Fixtures/reasons.txt).
/// </summary>
public sealed class ReasonFixtureTests
{
    private static readonly IReadOnlyList<FixtureCase> Cases = ReasonFixtures.Load();

    public static TheoryData<string> Sources() => [.. Cases.Select(c => c.Source).Distinct()];

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Each_case_yields_exactly_its_findings_in_every_input_form(string source)
    {
        var (input, rendered) = ReasonFixtures.Render(source, [.. Cases.Where(c => c.Source == source)]);

        var result = await ClassifyProcess.RunAsync(["--source", source, "-"], input);

        Assert.True(result.ExitCode == 0, result.Log);
        var problems = new List<string>();
        foreach (var rendering in rendered)
        {
            var found = result.Findings.Where(f => f.Line >= rendering.FirstLine && f.Line <= rendering.LastLine)
                .Select(f => $"{f.Reason}@{f.Line}").Order().ToList();
            var expected = rendering.Case.Expected.Select(e => $"{e.Reason}@{rendering.LineOf[e.CaseLine - 1]}").Order().ToList();
            if (!found.SequenceEqual(expected))
                problems.Add($"{rendering.Case} as {rendering.Form}: expected [{string.Join(", ", expected)}], found [{string.Join(", ", found)}]");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Findings_carry_the_catalog_condition_and_severity_and_a_message()
    {
        var catalog = CatalogLoader.LoadBuiltIn();
        var (input, _) = ReasonFixtures.Render("kernel", [.. Cases.Where(c => c.Source == "kernel" && c.NearMissOf is null)]);

        var result = await ClassifyProcess.RunAsync(["--source", "kernel", "-"], input);

        Assert.NotEmpty(result.Findings);
        foreach (var finding in result.Findings)
        {
            var rule = catalog.Rule(Enum.Parse<NodeHealth.Contracts.ConditionType>(finding.Condition), finding.Reason);
            Assert.True(rule is not null, $"{finding} is not a reason of {finding.Condition}");
            Assert.Equal(rule.Severity.ToString(), finding.Severity);
            Assert.False(string.IsNullOrWhiteSpace(finding.Message), finding.ToString());
            Assert.Equal(1, finding.Count);
        }
    }

    [Fact]
    public void Every_log_rule_of_the_catalog_has_positive_and_near_miss_fixtures()
    {
        var catalog = CatalogLoader.LoadBuiltIn();
        var missing = new List<string>();
        foreach (var rule in catalog.Rules.Where(r => r.Match.Length > 0))
        {
            var source = rule.Source == "kmsg" ? "kernel" : rule.Source.StartsWith("journal-", StringComparison.Ordinal) ? rule.Source["journal-".Length..] : rule.Source;
            // A family's positive case names one of its concrete reasons; its near miss names the family.
            if (!Cases.Any(c => c.Source == source && c.Expected.Any(e => e.Reason == rule.Reason || rule.Family?.ValueOf(e.Reason) is not null)))
                missing.Add($"{rule.Reason}: no positive case with source {source}");
            if (!Cases.Any(c => c.Source == source && c.NearMissOf == rule.Reason))
                missing.Add($"{rule.Reason}: no near-miss case with source {source}");
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }
}

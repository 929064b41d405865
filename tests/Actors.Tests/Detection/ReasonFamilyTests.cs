using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Detection;

/// <summary>Reason families: one catalog entry whose reason has a {name} placeholder stands for many concrete reasons.</summary>
public sealed class ReasonFamilyTests
{
    private const ConditionType Gpu = ConditionType.AcceleratedHardwareReady;

    // A self-contained pair of families in an operator file (an "ops.yaml"), so these tests do not depend on the built-in rules.
    private const string Families = """
        conditions:
          - type: AcceleratedHardwareReady
            reasons:
              - reason: TestXID{xid}Error
                severity: Fatal
                source: test-kmsg
                match: 'TESTRM: Xid \(PCI:(?<pci>[0-9a-f:]+)\): (?<xid>\d+),|TESTRM: (?<pci>[0-9a-f:]+) fell off the bus'
                entity: '{pci}'
                impliedValue: '79'
                recovery: reboot
                repair: Reboot
                description: A fatal test XID.
                values:
                  '48': {}
                  '79': { repair: Replace, description: Fell off the bus }
                  '13': { occurrences: 3, window: 10m }
              - reason: TestXID{xid}Warning
                severity: Warning
                source: test-kmsg
                match: 'TESTRM: Xid \(PCI:(?<pci>[0-9a-f:]+)\): (?<xid>\d+),'
                entity: '{pci}'
                valuePattern: '[0-9]{1,3}'
                rateLimit: 10/10m
                values:
                  '45': { rateLimit: 1/10m }
          - type: ContainerRuntimeReady
            reasons:
              - { reason: '{unit}RepeatedRestart', severity: Warning, source: probe-units, valuePattern: '[A-Za-z0-9-]+' }
        """;

    private static ReasonCatalog Catalog(string? more = null) =>
        more is null ? CatalogLoader.Parse("ops.yaml", Families) : CatalogLoader.Load([Write("ops.yaml", Families), Write("more.yaml", more)]);

    [Fact]
    public void A_concrete_reason_resolves_to_its_values_rule_with_that_values_repair()
    {
        var catalog = Catalog();

        var xid79 = catalog.Rule(Gpu, "TestXID79Error")!;
        var xid48 = catalog.Rule(Gpu, "TestXID48Error")!;

        Assert.Equal(("TestXID79Error", Severity.Fatal, RepairAction.Replace, RecoveryMode.Reboot, "79"), (xid79.Reason, xid79.Severity, xid79.Repair, xid79.Recovery, xid79.Value));
        Assert.Equal(("Fell off the bus", RepairAction.Reboot), (xid79.Description, xid48.Repair));
        Assert.Equal(new OccurrenceThreshold(3, TimeSpan.FromMinutes(10)), catalog.Rule(Gpu, "TestXID13Error")!.Threshold);
    }

    [Theory]
    [InlineData("TestXID43Error")] // Not on the closed list.
    [InlineData("TestXIDError")]
    [InlineData("TestXID{xid}Error")]
    [InlineData("TestXID4-Warning")] // Outside the open family's valuePattern.
    [InlineData("TestXID1234Warning")]
    public void A_reason_outside_its_familys_values_is_not_defined(string reason)
    {
        var rule = Catalog().Rule(Gpu, reason);

        Assert.True(rule is null || rule.IsTemplate, $"{reason} resolved to {rule?.Reason}");
    }

    [Fact]
    public void An_open_family_takes_any_value_of_its_pattern_hyphens_included()
    {
        var rule = Catalog().Rule(ConditionType.ContainerRuntimeReady, "My-Custom-ServiceRepeatedRestart")!;

        Assert.Equal(("My-Custom-ServiceRepeatedRestart", "My-Custom-Service", Severity.Warning), (rule.Reason, rule.Value, rule.Severity));
    }

    [Fact]
    public void A_log_line_gives_the_value_from_the_group_and_a_value_outside_the_closed_list_falls_to_the_next_rule()
    {
        var engine = new DetectionEngine(Catalog(), "test-kmsg");

        var found = EngineRun.Lines(engine,
            "TESTRM: Xid (PCI:0000:3b:00): 79, pid=1, name=x, gone",
            "TESTRM: Xid (PCI:0000:3b:00): 43, pid=1, name=x, stopped",
            "TESTRM: 0000:5e:00 fell off the bus");

        Assert.Equal(
            [("TestXID79Error", "0000:3b:00", Severity.Fatal), ("TestXID43Warning", "0000:3b:00", Severity.Warning), ("TestXID79Error", "0000:5e:00", Severity.Fatal)],
            found.Select(d => (d.Rule.Reason, d.Entity, d.Rule.Severity)));
        Assert.Equal(RepairAction.Replace, found[0].Rule.Repair);
    }

    [Fact]
    public void Thresholds_and_rate_limits_count_per_value_and_entity()
    {
        var engine = new DetectionEngine(Catalog(), "test-kmsg");
        string[] lines =
        [
            .. Enumerable.Repeat("TESTRM: Xid (PCI:0000:3b:00): 45, pid=1, name=x, Ch 00000010", 50),
            "TESTRM: Xid (PCI:0000:5e:00): 45, pid=1, name=x, Ch 00000010",
            "TESTRM: Xid (PCI:0000:3b:00): 13, pid=1, name=x, Graphics Exception",
            "TESTRM: Xid (PCI:0000:5e:00): 13, pid=1, name=x, Graphics Exception",
            "TESTRM: Xid (PCI:0000:3b:00): 13, pid=1, name=x, Graphics Exception",
        ];

        var found = EngineRun.Lines(engine, lines).Select(d => (d.Rule.Reason, d.Entity, d.Count)).ToList();

        // XID 45: one finding per GPU, then the storm's 49 repeats folded into one; XID 13 needs 3 on one GPU, which no GPU reached.
        Assert.Equal([("TestXID45Warning", "0000:3b:00", 1), ("TestXID45Warning", "0000:5e:00", 1), ("TestXID45Warning", "0000:3b:00", 49)], found);
    }

    [Fact]
    public void An_operator_entry_naming_a_concrete_reason_adds_or_removes_that_value()
    {
        var catalog = Catalog("""
            conditions:
              - type: AcceleratedHardwareReady
                reasons:
                  - { reason: TestXID43Error, repair: Replace }
                  - { reason: TestXID48Error, disabled: true }
                  - { reason: TestXID79Error, repair: Reboot }
            """);

        Assert.Equal(RepairAction.Replace, catalog.Rule(Gpu, "TestXID43Error")!.Repair);
        Assert.Null(catalog.Rule(Gpu, "TestXID48Error"));
        Assert.Equal(("Fell off the bus", RepairAction.Reboot), (catalog.Rule(Gpu, "TestXID79Error")!.Description, catalog.Rule(Gpu, "TestXID79Error")!.Repair));
        var engine = new DetectionEngine(catalog, "test-kmsg");
        Assert.Equal(["TestXID43Error", "TestXID48Warning"], EngineRun.Lines(engine,
            "TESTRM: Xid (PCI:0000:3b:00): 43, pid=1, name=x, stopped",
            "TESTRM: Xid (PCI:0000:3b:00): 48, pid=1, name=x, DBE").Select(d => d.Rule.Reason));
    }

    [Fact]
    public void An_operator_entry_for_the_family_merges_its_values_value_by_value()
    {
        var catalog = Catalog("""
            conditions:
              - type: AcceleratedHardwareReady
                reasons:
                  - reason: TestXID{xid}Error
                    values:
                      '31': { repair: Reboot }
                      '79': { disabled: true }
            """);

        Assert.Equal(["13", "31", "48"], catalog.Rule(Gpu, "TestXID{xid}Error")!.Family!.Values.Keys.Order());
        Assert.Null(catalog.Rule(Gpu, "TestXID79Error"));
        // With 79 off the fatal list, "fell off the bus" (implied 79) matches no rule; an XID 79 line is a warning.
        Assert.Equal(["TestXID79Warning"], EngineRun.Lines(new DetectionEngine(catalog, "test-kmsg"),
            "TESTRM: 0000:5e:00 fell off the bus",
            "TESTRM: Xid (PCI:0000:3b:00): 79, pid=1, name=x, gone").Select(d => d.Rule.Reason));
    }

    [Fact]
    public void The_coordinator_means_a_concrete_reason_by_its_value_and_records_one_outside_the_family_as_a_warning()
    {
        var catalog = Catalog();
        var finding = new Finding("node-a", Gpu, "TestXID79Error", Severity.Warning, "gone", DateTime.UtcNow, "kmsg", "0000:3b:00",
            "run-1", 1, RecoveryMode.None, "boot-1", TimeSpan.Zero, RepairAction.None, 1);

        var known = ReasonAuthority.Interpret(catalog, finding);
        var unknown = ReasonAuthority.Interpret(catalog, finding with { Reason = "TestXID43Error", Severity = Severity.Fatal });

        Assert.Equal((Severity.Fatal, RecoveryMode.Reboot, RepairAction.Replace), (known.Severity, known.Recovery, known.Repair));
        Assert.Equal(Severity.Warning, unknown.Severity);
        Assert.EndsWith(ReasonAuthority.UnknownReasonNote, unknown.Message);
    }

    [Fact]
    public void A_probe_reports_a_concrete_reason_of_its_family_and_recovers_the_listed_values()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: AcceleratedHardwareReady
                reasons:
                  - reason: TestHealthCode{code}
                    severity: Fatal
                    source: probe-test-health
                    recovery: probe
                    valuePattern: '[0-9]{1,4}'
                    values: { '101': { repair: Replace } }
            """);
        var verdicts = new ProbeVerdicts("test-health", catalog.Rules.Where(r => r.Source == "probe-test-health"));
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        var first = verdicts.Observe([new ProbeFailure("TestHealthCode7", "GPU 0", "code 7"), new ProbeFailure("TestHealthCode7x", "GPU 0", "not a value")], t0);
        var later = verdicts.Observe([], t0.AddMinutes(5));

        Assert.Equal([("TestHealthCode7", Severity.Fatal, RecoveryMode.Probe)], first.Raised.Select(r => (r.Reason, r.Severity, r.Recovery)));
        // Listed values recover at the first poll; the open family recovers as a whole, sparing the values failing now.
        Assert.Equal([("TestHealthCode101", ""), ("TestHealthCode{code}", "TestHealthCode7")], first.Recovered.Select(r => (r.Reason, string.Join(",", r.StillFailing))));
        Assert.Equal(["TestHealthCode7"], later.Recovered.Select(r => r.Reason));
    }

    [Theory]
    [InlineData("TestXID{xid}Error{n}", "{ '48': {} }", "", "exactly one {name} placeholder")]
    [InlineData("TestXID{Xid}Error", "{ '48': {} }", "", "exactly one {name} placeholder")]
    [InlineData("TestXID{code}Error", "{ '48': {} }", "", "group named 'code', which match does not have")]
    [InlineData("TestXID{xid}Error", null, "", "needs values")]
    [InlineData("TestXID{xid}Error", "{ '7 9': {} }", "", "value '7 9': a value must be 1 to 64 ASCII letters, digits or hyphens")]
    [InlineData("TestXID{xid}Error", "{ '79': {} }", "valuePattern: '[0-9]'", "value '79' does not match valuePattern")]
    [InlineData("TestXID{xid}Error", "{ '79': { recovery: none } }", "", "value '79': a Fatal reason needs recovery")]
    [InlineData("TestXID{xid}Error", "{ '79': {} }", "impliedValue: '7 9'", "impliedValue '7 9' must be")]
    public void A_bad_family_is_refused_with_its_file_line_and_problem(string reason, string? values, string extra, string expected)
    {
        var yaml = $"""
            conditions:
              - type: AcceleratedHardwareReady
                reasons:
                  - reason: {reason}
                    severity: Fatal
                    source: test-kmsg
                    match: 'Xid (?<xid>\d+)'
                    recovery: reboot
                    {(values is null ? "" : "values: " + values)}
                    {extra}
            """;

        var error = Assert.Throws<CatalogException>(() => CatalogLoader.Parse("ops.yaml", yaml));

        Assert.StartsWith("ops.yaml line", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void An_entry_for_one_value_may_not_change_the_familys_match()
    {
        var error = Assert.Throws<CatalogException>(() => Catalog("""
            conditions:
              - type: AcceleratedHardwareReady
                reasons:
                  - { reason: TestXID43Error, match: 'other' }
            """));

        Assert.Contains("more.yaml line 4: AcceleratedHardwareReady/TestXID43Error: is the value '43' of the family TestXID{xid}Error", error.Message);
    }

    private static string Write(string name, string text)
    {
        var dir = Directory.CreateTempSubdirectory("families").FullName;
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}

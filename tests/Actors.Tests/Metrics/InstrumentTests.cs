using NodeHealth.Actors.Metrics;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Tests.Metrics;

/// <summary>The instruments move when the thing they count happens, with the labels Prometheus will show.</summary>
public sealed class InstrumentTests
{
    private static readonly DateTime T0 = new(2026, 11, 28, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_persisted_finding_counts_its_occurrences_by_condition_reason_and_the_coordinators_severity_never_by_node()
    {
        var reason = "Xid79Test" + Guid.NewGuid().ToString("N")[..6];
        using var findings = new MeasurementsOf(MeterNames.Health, "node_health.findings");
        var finding = new Finding("gpu-1", ConditionType.AcceleratedHardwareReady, reason, Severity.Fatal, "GPU has fallen off the bus", T0, "kmsg", null, "boot-1", 1, Count: 3);

        HealthMetrics.Recorded(new FindingsRecorded("gpu-1", T0, "boot-1", [finding, finding with { Sequence = 2, Count = 0 }]));
        HealthMetrics.Recorded(new MonitorsReported("gpu-1", T0, []));

        var counted = findings.Where("reason", reason);
        Assert.Equal([3.0, 1.0], counted.Select(c => c.Value));
        Assert.All(counted, c =>
        {
            Assert.Equal("AcceleratedHardwareReady", c.Labels["condition"]);
            Assert.Equal("Fatal", c.Labels["severity"]);
            Assert.False(c.Labels.ContainsKey("node"));
        });
    }

    [Fact]
    public void Lines_read_and_classified_are_counted_per_source_per_batch_and_empty_batches_count_nothing()
    {
        var source = "file-test-" + Guid.NewGuid().ToString("N")[..6];
        using var read = new MeasurementsOf(MeterNames.Agent, "node_health.agent.log.lines_read");
        using var classified = new MeasurementsOf(MeterNames.Agent, "node_health.agent.log.lines_classified");

        AgentMetrics.Read(source, 500);
        AgentMetrics.Read(source, 0);
        AgentMetrics.Classified(source, 2);

        Assert.Equal([500.0], read.Where("source", source).Select(r => r.Value));
        Assert.Equal([2.0], classified.Where("source", source).Select(r => r.Value));
    }

    [Fact]
    public void The_process_reports_its_cpu_time_and_resident_memory()
    {
        ProcessMetrics.Publish();
        using var cpu = new MeasurementsOf(MeterNames.Process, "process.cpu");
        using var rss = new MeasurementsOf(MeterNames.Process, "process.resident_memory");

        cpu.Observe();
        rss.Observe();

        Assert.True(cpu.All.Single().Value > 0);
        Assert.True(rss.All.Single().Value > 10 * 1024 * 1024, $"resident memory {rss.All.Single().Value} bytes is implausibly small for a .NET test host");
    }

    [Theory]
    [InlineData("1234 567 89 10 0 300 0\n", 567)]
    [InlineData("8 1 0 0 0 0 0", 1)]
    public void Resident_pages_are_statms_second_field(string statm, long pages) =>
        Assert.Equal(pages, ProcessMetrics.ResidentPages(statm));

    [Fact]
    public void A_statm_without_a_resident_field_is_an_error_that_quotes_it()
    {
        var error = Assert.Throws<FormatException>(() => ProcessMetrics.ResidentPages("garbage"));
        Assert.Contains("'garbage'", error.Message);
    }
}

using System.Globalization;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>A real coordinator and a real agent, both scraped over HTTP the way Prometheus does, after a real kernel line.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class MetricsScrapeTests : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly CoordinatorUnderTest _coordinator;
    private readonly AgentUnderTest _agent;
    private readonly int _agentMetricsPort = Paths.FreePort();

    public MetricsScrapeTests()
    {
        _coordinator = new CoordinatorUnderTest(Database.Sqlite());
        _agent = new AgentUnderTest(_coordinator, $"e2e-metrics-{_run}");
        _agent.ExtraArguments.AddRange(["--Agent:Metrics:Enabled=true", "--Agent:Metrics:Address=127.0.0.1", $"--Agent:Metrics:Port={_agentMetricsPort}"]);
    }

    public async Task InitializeAsync()
    {
        await _coordinator.StartAsync();
        await _agent.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _coordinator.DisposeAsync();
    }

    [Fact]
    public async Task A_kernel_warning_moves_the_agents_line_counters_and_the_coordinators_findings_and_ingest_series()
    {
        KernelLog.Write($"<4>watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [stress-e2e-{_run}:1234]");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var coordinatorMetrics = new Uri($"http://127.0.0.1:{_coordinator.HttpPort}/metrics");
        var agentMetrics = new Uri($"http://127.0.0.1:{_agentMetricsPort}/metrics");

        var coordinator = await Eventually.ValueAsync(() => http.GetStringAsync(coordinatorMetrics),
            // the ack is timed after the finding is counted: wait for both, not just the first
            text => Value(text, "node_health_findings_total", "reason=\"SoftLockup\"") >= 1 && Value(text, "node_health_ingest_streams") >= 1
                && Value(text, "node_health_ingest_ack_duration_seconds_count") >= 1,
            TimeSpan.FromSeconds(15), text => $"the coordinator's /metrics never counted the SoftLockup finding:\n{text}\ncoordinator:\n{_coordinator.Output}");
        var agent = await Eventually.ValueAsync(() => http.GetStringAsync(agentMetrics),
            text => Value(text, "node_health_agent_log_lines_classified_total", "source=\"kmsg\"") >= 1,
            TimeSpan.FromSeconds(15), text => $"the agent's /metrics never counted a classified kmsg line:\n{text}\nagent:\n{_agent.Output}");

        Assert.Contains("condition=\"KernelReady\"", Series(coordinator, "node_health_findings_total").Single(s => s.Contains("SoftLockup")));
        Assert.DoesNotContain(Series(coordinator, "node_health_findings_total"), s => s.Contains("node="));
        Assert.True(Value(agent, "node_health_agent_log_lines_read_total", "source=\"kmsg\"") >= 1);
        Assert.True(Value(agent, "process_resident_memory_bytes") > 1024 * 1024);
        Assert.True(Value(agent, "process_cpu_seconds_total") > 0);
    }

    /// <summary>The sample lines of one metric (name followed by labels or a space).</summary>
    private static IEnumerable<string> Series(string exposition, string name) =>
        exposition.Split('\n').Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal));

    /// <summary>The sum of a metric's samples whose labels contain <paramref name="label"/> (all of them when null); -1 when there is none.</summary>
    private static double Value(string exposition, string name, string? label = null)
    {
        var values = Series(exposition, name).Where(line => label is null || line.Contains(label, StringComparison.Ordinal))
            .Select(line => double.Parse((line.Contains('}') ? line[(line.LastIndexOf('}') + 1)..] : line[name.Length..]).Trim().Split(' ')[0],
                CultureInfo.InvariantCulture)).ToList();
        return values.Count == 0 ? -1 : values.Sum();
    }
}

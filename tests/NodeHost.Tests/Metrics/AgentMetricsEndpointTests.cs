using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using NodeHealth.Actors.Metrics;
using NodeHealth.NodeHost.Metrics;

namespace NodeHealth.NodeHost.Tests.Metrics;

/// <summary>The agent's /metrics: an HttpListener on the configured address and port, off unless enabled, never fatal.</summary>
public sealed class AgentMetricsEndpointTests
{
    [Fact]
    public async Task The_agent_serves_its_line_counters_and_process_figures_and_answers_other_paths_and_garbage_without_stopping()
    {
        var options = new AgentMetricsOptions { Enabled = true, Address = "127.0.0.1", Port = FreePort() };
        using var endpoint = new AgentMetricsEndpoint(options, new RecordingLogger<AgentMetricsEndpoint>());
        await endpoint.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{options.Port}"), Timeout = TimeSpan.FromSeconds(10) };
        var source = "file-endpoint-" + Guid.NewGuid().ToString("N")[..6];

        AgentMetrics.Read(source, 7);
        var garbage = await SendRawAsync(options.Port, "GARBAGE \x01\x02 nonsense\r\n\r\n");
        var other = await http.GetAsync("/admin");
        var text = await http.GetStringAsync("/metrics");

        Assert.Contains($"source=\"{source}\"", text.Split('\n').Single(l => l.StartsWith("node_health_agent_log_lines_read_total{", StringComparison.Ordinal) && l.Contains(source)));
        Assert.Matches(@"(?m)^node_health_agent_log_lines_read_total\{[^}]*source=""" + source + @"""[^}]*\} 7( |$)", text);
        Assert.Matches(@"(?m)^process_resident_memory_bytes(\{[^}]*\})? \d+", text);
        Assert.Matches(@"(?m)^process_cpu_seconds_total(\{[^}]*\})? [0-9.e+-]+", text);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.StartsWith("HTTP/1.1 400", garbage);
    }

    [Fact]
    public async Task A_port_already_taken_is_logged_naming_the_setting_and_the_agent_goes_on()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var options = new AgentMetricsOptions { Enabled = true, Address = "127.0.0.1", Port = ((IPEndPoint)taken.LocalEndpoint).Port };
        var log = new RecordingLogger<AgentMetricsEndpoint>();
        using var endpoint = new AgentMetricsEndpoint(options, log);

        await endpoint.StartAsync(CancellationToken.None);

        Assert.Contains(log.Messages, m => m.Level == LogLevel.Error && m.Text.Contains("Agent:Metrics:Port") && m.Text.Contains(options.Port.ToString()));
    }

    [Theory]
    [InlineData("0.0.0.0", 9464, "http://+:9464/")]
    [InlineData("127.0.0.1", 19464, "http://127.0.0.1:19464/")]
    [InlineData("::1", 9464, "http://[::1]:9464/")]
    public void Every_interface_listens_on_a_wildcard_host_and_one_address_on_itself(string address, int port, string prefix) =>
        Assert.Equal(prefix, new AgentMetricsOptions { Address = address, Port = port }.UriPrefix());

    [Fact]
    public void A_bad_address_or_port_names_the_setting_and_an_example()
    {
        var errors = new AgentMetricsOptions { Address = "all", Port = 70000 }.Validate();

        Assert.Contains(errors, e => e.Contains("Agent:Metrics:Address 'all'") && e.Contains("0.0.0.0"));
        Assert.Contains(errors, e => e.Contains("Agent:Metrics:Port 70000"));
    }

    [Fact]
    public void Metrics_are_off_unless_enabled_so_a_plain_run_opens_no_port() =>
        Assert.False(new AgentMetricsOptions().Enabled);

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task<string> SendRawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.Latin1.GetString(buffer, 0, read);
    }

    private sealed class RecordingLogger<T> : ILogger<T>
    {
        public List<(LogLevel Level, string Text)> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add((logLevel, formatter(state, exception)));
    }
}

using Microsoft.Extensions.Configuration;

namespace NodeHealth.NodeHost.Tests;

public sealed class AgentOptionsTests
{
    private static AgentOptions Valid() => new()
    {
        NodeName = "ip-10-0-0-1.ec2.internal",
        CoordinatorUrl = "http://127.0.0.1:8081",
        Token = "secret",
        StateDirectory = "/tmp/agent",
    };

    [Fact]
    public void Complete_options_are_valid()
    {
        Assert.Empty(Valid().Validate());
    }

    [Theory]
    [InlineData("NodeName", "Not_Valid", "Agent:NodeName")]
    [InlineData("CoordinatorUrl", "localhost:8081", "Agent:CoordinatorUrl")]
    [InlineData("CoordinatorUrl", "ftp://x", "Agent:CoordinatorUrl")]
    [InlineData("Token", "", "Agent:Token")]
    [InlineData("TokenFile", "/nonexistent/token", "Agent:TokenFile")]
    [InlineData("StateDirectory", " ", "Agent:StateDirectory")]
    public void Bad_setting_is_named_in_the_error(string setting, string value, string expected)
    {
        var options = Valid();
        typeof(AgentOptions).GetProperty(setting)!.SetValue(options, value);

        var error = Assert.Single(options.Validate());
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Container_runtime_settings_are_read_and_a_relative_socket_or_a_unit_that_makes_no_reason_is_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:CriSocket"] = "run/k3s/containerd/containerd.sock",
            ["Agent:RestartUnits:0"] = "my-custom-service",
            ["Agent:RestartUnits:1"] = "getty@tty1",
        }).Build();

        var options = AgentOptions.Bind(configuration);
        var errors = options.Validate();

        Assert.Equal(["my-custom-service", "getty@tty1"], options.RestartUnits);
        Assert.Contains(errors, e => e.StartsWith("Agent:CriSocket 'run/k3s/containerd/containerd.sock' is not an absolute host path", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Agent:RestartUnits 'getty@tty1'", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("Agent:RestartUnits 'my-custom-service'", StringComparison.Ordinal));
    }

    [Fact]
    public void Several_coordinators_may_be_listed_instead_of_one_and_repeats_count_once()
    {
        var options = Valid();
        options.CoordinatorUrl = null;
        options.CoordinatorUrls = ["http://coordinator-0.coordinator:8081", "http://coordinator-1.coordinator:8081", "http://coordinator-0.coordinator:8081"];

        Assert.Empty(options.Validate());
        Assert.Equal(["coordinator-0.coordinator", "coordinator-1.coordinator"], options.ResolvedCoordinatorUrls().Select(u => u.Host));
    }

    [Fact]
    public void A_bad_entry_of_the_coordinator_list_is_named_by_its_index()
    {
        var options = Valid();
        options.CoordinatorUrls = ["http://coordinator-1:8081", "coordinator-2:8081"];

        Assert.Contains("Agent:CoordinatorUrls:1 'coordinator-2:8081'", Assert.Single(options.Validate()));
    }

    [Fact]
    public void No_coordinator_at_all_is_refused()
    {
        var options = Valid();
        options.CoordinatorUrl = null;

        Assert.Contains("Agent:CoordinatorUrl", Assert.Single(options.Validate()));
    }

    [Fact]
    public void Heartbeat_interval_below_100_ms_is_refused()
    {
        var options = Valid();
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(10);

        Assert.Contains("Agent:HeartbeatInterval", Assert.Single(options.Validate()));
    }

    [Fact]
    public void Reconnect_max_backoff_is_read_from_configuration()
    {
        var configuration = new ConfigurationBuilder()
            .AddCommandLine(["--Agent:ReconnectMaxBackoff=00:00:02"]).Build();

        Assert.Equal(TimeSpan.FromSeconds(2), AgentOptions.Bind(configuration).ReconnectMaxBackoff);
    }

    [Fact]
    public void Reconnect_max_backoff_below_the_first_retry_delay_is_refused()
    {
        var options = Valid();
        options.ReconnectMaxBackoff = TimeSpan.FromMilliseconds(500);

        Assert.Contains("Agent:ReconnectMaxBackoff", Assert.Single(options.Validate()));
    }

    [Fact]
    public void Token_file_wins_over_the_token()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "from-file\n");
        var options = Valid();
        options.TokenFile = file;

        Assert.Equal("from-file", options.ResolvedToken().Current());
        File.Delete(file);
    }
}

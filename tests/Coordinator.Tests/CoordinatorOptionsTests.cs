namespace NodeHealth.Coordinator.Tests;

public sealed class CoordinatorOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_use_sqlite_in_the_data_directory()
    {
        var options = new CoordinatorOptions { DataDirectory = "/tmp/nh" };

        Assert.Empty(options.Validate());
        Assert.Contains("/tmp/nh/coordinator.db", options.ResolvedConnectionString());
    }

    [Fact]
    public void PostgreSql_without_a_connection_string_names_the_setting()
    {
        var error = Assert.Single(new CoordinatorOptions { Persistence = PersistenceProvider.PostgreSql }.Validate());
        Assert.Contains("Coordinator:ConnectionString", error);
    }

    [Theory]
    [InlineData("ListenAddress", "localhost", "Coordinator:ListenAddress")]
    [InlineData("HttpPort", 0, "Coordinator:HttpPort")]
    [InlineData("GrpcPort", 70000, "Coordinator:GrpcPort")]
    [InlineData("AkkaPort", -1, "Coordinator:AkkaPort")]
    public void Bad_setting_is_named_in_the_error(string setting, object value, string expected)
    {
        var options = new CoordinatorOptions();
        typeof(CoordinatorOptions).GetProperty(setting)!.SetValue(options, value);

        Assert.Contains(options.Validate(), e => e.Contains(expected));
    }

    [Fact]
    public void Same_port_for_rest_and_grpc_is_refused()
    {
        Assert.Contains(new CoordinatorOptions { HttpPort = 9000, GrpcPort = 9000 }.Validate(), e => e.Contains("must differ"));
    }

    [Fact]
    public void Agent_lease_under_a_second_is_refused()
    {
        Assert.Contains(new CoordinatorOptions { AgentLease = TimeSpan.FromMilliseconds(500) }.Validate(), e => e.Contains("Coordinator:AgentLease"));
    }

    [Fact]
    public void Seed_node_must_be_an_akka_address()
    {
        Assert.Contains(new CoordinatorOptions { SeedNodes = ["coordinator-0:4053"] }.Validate(), e => e.Contains("SeedNodes"));
    }

    [Fact]
    public void Several_coordinators_on_sqlite_are_refused_with_postgresql_as_the_fix()
    {
        var options = new CoordinatorOptions { SeedNodes = ["akka.tcp://node-health@coordinator-0.coordinator:4053"] };

        var error = Assert.Single(options.Validate());
        Assert.Contains("Coordinator:SeedNodes", error);
        Assert.Contains("Coordinator:Persistence=Sqlite", error);
        Assert.Contains("Coordinator:Persistence=PostgreSql", error);
    }

    [Fact]
    public void Several_coordinators_on_postgresql_are_accepted()
    {
        var options = new CoordinatorOptions
        {
            SeedNodes = ["akka.tcp://node-health@coordinator-0.coordinator:4053"],
            Persistence = PersistenceProvider.PostgreSql,
            ConnectionString = "Host=db;Username=node_health;Database=node_health",
        };

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void No_agent_flag_turns_the_in_process_agent_off()
    {
        Assert.Equal(["--Coordinator:InProcessAgent=false", "--x"], CommandLine.Normalize(["--no-agent", "--x"]));
    }
}

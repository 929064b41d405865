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

    [Theory]
    [InlineData("akka.tcp://other-system@coordinator-0.coordinator:4053", "names actor system 'other-system'")]
    [InlineData("akka.tcp://node-health@coordinator-0.coordinator", "needs a host and a port")]
    [InlineData("akka.tcp://node-health@:4053", "akka.tcp://node-health@host:port")]
    public void Seed_node_that_could_never_be_joined_is_refused_at_startup(string seed, string expected)
    {
        var options = OnPostgreSql();
        options.SeedNodes = [seed];

        var error = Assert.Single(options.Validate());
        Assert.Contains("Coordinator:SeedNodes", error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void The_same_seed_node_twice_is_refused()
    {
        var options = OnPostgreSql();
        options.SeedNodes = ["akka.tcp://node-health@coordinator-0.coordinator:4053", "akka.tcp://node-health@coordinator-0.coordinator:4053"];

        Assert.Contains("twice", Assert.Single(options.Validate()));
    }

    [Fact]
    public void Binding_every_interface_in_a_cluster_needs_the_public_host_name()
    {
        var options = OnPostgreSql();
        options.SeedNodes = ["akka.tcp://node-health@coordinator-0.coordinator:4053"];
        options.AkkaHostname = "0.0.0.0";

        Assert.Contains("Coordinator:AkkaPublicHostname", Assert.Single(options.Validate()));
        options.AkkaPublicHostname = "coordinator-1.coordinator";
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("00:00:00.500")]
    [InlineData("00:10:00")]
    public void Split_brain_stable_after_outside_a_second_to_five_minutes_is_refused(string stableAfter)
    {
        var options = OnPostgreSql();
        options.DowningStableAfter = TimeSpan.Parse(stableAfter, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Contains("Coordinator:DowningStableAfter", Assert.Single(options.Validate()));
    }

    [Fact]
    public void Down_removal_margin_under_a_second_is_refused()
    {
        var options = OnPostgreSql();
        options.DownRemovalMargin = TimeSpan.Zero;

        Assert.Contains("Coordinator:DownRemovalMargin", Assert.Single(options.Validate()));
    }

    private static CoordinatorOptions OnPostgreSql() => new()
    {
        Persistence = PersistenceProvider.PostgreSql,
        ConnectionString = "Host=db;Username=node_health;Database=node_health",
    };

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

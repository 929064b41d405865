using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>A bad setting stops the process at start with exit code 2 and a message naming the setting and the fix.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class BrokenConfigurationTests : IDisposable
{
    private readonly string _directory = Paths.TempDirectory("nh-broken");

    [Theory]
    [InlineData("--Coordinator:Persistence=PostgreSql", "Coordinator:ConnectionString is required")]
    [InlineData("--Coordinator:HttpPort=99999", "Coordinator:HttpPort 99999")]
    [InlineData("--Coordinator:ListenAddress=everywhere", "Coordinator:ListenAddress 'everywhere'")]
    [InlineData("--Agent:NodeName=Not_A_Node", "Agent:NodeName 'Not_A_Node'")]
    [InlineData("--Coordinator:DataDirectory=/proc/node-health", "Coordinator:DataDirectory '/proc/node-health' is not usable")]
    [InlineData("--Coordinator:SeedNodes:0=akka.tcp://node-health@127.0.0.1:4053", "Coordinator:SeedNodes with Coordinator:Persistence=Sqlite")]
    [InlineData("--Coordinator:SeedNodes:0=akka.tcp://nodehealth@coordinator-0.coordinator:4053", "names actor system 'nodehealth'")]
    [InlineData("--Coordinator:DowningStableAfter=00:00:00.100", "Coordinator:DowningStableAfter")]
    public async Task Coordinator_refuses_to_start_and_names_the_setting(string setting, string expected)
    {
        await using var process = SystemProcess.Start("coordinator", Paths.Dotnet,
            [Paths.CoordinatorDll, $"--Coordinator:DataDirectory={_directory}", setting]);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(expected, process.Output);
    }

    [Fact]
    public async Task Agent_with_a_broken_catalog_file_refuses_to_start_and_names_the_file()
    {
        var catalog = Path.Combine(_directory, "broken.yaml");
        File.WriteAllText(catalog, "conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Oops\n        severity: Fatal\n        source: kmsg\n        match: '(unclosed'\n        recovery: manual\n");

        await using var process = SystemProcess.Start("agent", Paths.Dotnet,
            [Paths.AgentDll, "--Agent:CoordinatorUrl=http://127.0.0.1:1", "--Agent:Token=t", $"--Agent:StateDirectory={_directory}", $"--Agent:CatalogFiles:0={catalog}"]);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Matches($@"catalog error: {System.Text.RegularExpressions.Regex.Escape(catalog)} line \d+: KernelReady/Oops: match is not a valid regular expression", process.Output);
    }

    [Fact]
    public async Task All_in_one_coordinator_with_a_broken_catalog_file_refuses_to_start()
    {
        var catalog = Path.Combine(_directory, "broken.yaml");
        File.WriteAllText(catalog, "conditions:\n  - type: NoSuchCondition\n    readyReason: X\n");

        await using var process = SystemProcess.Start("coordinator", Paths.Dotnet,
            [Paths.CoordinatorDll, $"--Coordinator:DataDirectory={_directory}", $"--Agent:CatalogFiles:0={catalog}"]);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"catalog error: {catalog}: condition 'NoSuchCondition'", process.Output);
    }

    [Fact]
    public async Task Agent_without_a_coordinator_url_or_token_refuses_to_start()
    {
        await using var process = SystemProcess.Start("agent", Paths.Dotnet, [Paths.AgentDll, $"--Agent:StateDirectory={_directory}"]);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Agent:CoordinatorUrl", process.Output);
        Assert.Contains("Agent:Token or Agent:TokenFile", process.Output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

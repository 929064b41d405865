using System.Net;
using System.Text.Json.Nodes;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// The fleet list is projected from the journal: a coordinator that joins or restarts later lists every
/// node, quiet ones included; a question about an unknown node starts (and remembers) nothing.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class FleetViewTests(PostgresServer postgres)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_coordinator_that_joins_later_and_both_after_a_restart_list_every_node()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var first = new CoordinatorUnderTest(database);
        await using var second = new CoordinatorUnderTest(database);
        first.JoinVia(first);
        second.JoinVia(first);
        await first.StartAsync();
        var names = Enumerable.Range(0, 6).Select(i => $"e2e-fleet-{_run}-{i}").ToList();
        using (var client = new IngestClient(first.GrpcAddress))
            foreach (var name in names)
                await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(name), IngestClient.Batch(IngestClient.Finding(name, 1)));
        await ListsEveryNode(first, names);

        await second.StartAsync(); // The nodes are quiet from now on: nothing is published for the newcomer to catch.
        await Ready(second);
        Assert.Equal(names, await Listed(second));

        await first.StopAsync();
        await second.StopAsync();
        await first.StartAsync();
        await second.StartAsync();
        await Ready(first);
        await Ready(second);
        Assert.Equal(names, await Listed(first));
        Assert.Equal(names, await Listed(second));
    }

    [Fact]
    public async Task Asking_for_an_unknown_node_answers_404_without_starting_or_remembering_an_entity()
    {
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        await coordinator.StartAsync();
        await Ready(coordinator);
        var unknown = $"e2e-never-{_run}";

        using var response = await coordinator.Http.GetAsync($"/api/nodes/{unknown}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await new Journal(coordinator).ShardingRowsMentioningAsync(unknown));
    }

    private static async Task Ready(CoordinatorUnderTest coordinator) =>
        await Eventually.TrueAsync(async () => (await coordinator.Http.GetAsync("/readyz")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), () => "the coordinator never became ready:\n" + coordinator.Output);

    private static async Task ListsEveryNode(CoordinatorUnderTest coordinator, List<string> names) =>
        await Eventually.TrueAsync(async () => (await Listed(coordinator)).SequenceEqual(names),
            TimeSpan.FromSeconds(10), () => "the fleet list misses nodes");

    private static async Task<List<string>> Listed(CoordinatorUnderTest coordinator) =>
        [.. JsonNode.Parse(await coordinator.Http.GetStringAsync("/api/nodes"))!.AsArray().Select(n => (string)n!["name"]!).Where(n => n.StartsWith("e2e-fleet-"))];
}

using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>Two coordinator processes form one cluster on PostgreSQL: any of them serves any node.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClusterTests(PostgresServer postgres)
{
    private const int Nodes = 12;

    [Fact]
    public async Task Findings_ingested_on_one_coordinator_are_served_by_the_other()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var first = new CoordinatorUnderTest(database);
        await using var second = new CoordinatorUnderTest(database);
        first.JoinVia(first);
        second.JoinVia(first);
        await first.StartAsync();
        await second.StartAsync();
        await Eventually.TrueAsync(async () => (await second.Http.GetAsync("/readyz")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), () => "the second coordinator never joined:\n" + second.Output);

        using var client = new IngestClient(first.GrpcAddress);
        var names = Enumerable.Range(0, Nodes).Select(i => $"e2e-cluster-{i}").ToList();
        foreach (var name in names)
            await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(name), IngestClient.Batch(IngestClient.Finding(name, 1)));

        // Entities live on both coordinators (shards are spread); each answers for all of them.
        foreach (var name in names)
        {
            var view = await second.NodeAsync(name);
            Assert.Equal("finding 1", Assert.Single(view.Findings()).Text("message"));
        }

        await Eventually.TrueAsync(async () =>
        {
            var list = await second.Http.GetStringAsync("/api/nodes");
            return names.All(list.Contains);
        }, TimeSpan.FromSeconds(10), () => "the second coordinator's fleet list misses nodes");
        Assert.Contains($"Welcome from [{first.AkkaAddress}]", second.Output); // One cluster, not two one-member clusters.
    }
}

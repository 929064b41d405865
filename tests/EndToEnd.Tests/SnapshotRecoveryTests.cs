using NodeHealth.Contracts;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>Past a snapshot (every 100 events, older events deleted) a restart still rebuilds the node exactly.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SnapshotRecoveryTests(PostgresServer postgres)
{
    private const string Node = "e2e-snapshot";
    private const int Events = 130;

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Node_recovered_from_snapshot_and_later_events_is_identical_and_still_drops_duplicates(string provider)
    {
        await using var coordinator = new CoordinatorUnderTest(provider == "Sqlite" ? Database.Sqlite() : await postgres.CreateDatabaseAsync());
        await coordinator.StartAsync();
        using var client = new IngestClient(coordinator.GrpcAddress);
        var findings = Enumerable.Range(1, Events)
            .Select(i => IngestClient.Finding(Node, i, severity: i == 50 ? Severity.Fatal : Severity.Warning, reason: i == 50 ? "KernelBug" : "SoftLockup"))
            .ToList();
        await client.ExchangeAsync(CoordinatorUnderTest.Token, [IngestClient.Hello(Node), .. findings.Select(f => IngestClient.Batch(f))]);
        var before = (await coordinator.NodeAsync(Node))!.ToJsonString();

        await coordinator.StopAsync();
        await coordinator.StartAsync();

        Assert.Equal(before, (await coordinator.NodeAsync(Node))?.ToJsonString());
        var resent = await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(Node), IngestClient.Batch([.. findings.TakeLast(40)]));
        Assert.Equal((0, 40), (resent[^1].Ack!.Accepted, resent[^1].Ack!.Duplicates));
    }
}

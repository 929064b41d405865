using NodeHealth.Contracts;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// Snapshots (every 100 events) speed recovery up without costing history: every event stays in the
/// journal, and a restart recovers from the snapshot — proven by removing the events it covers.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SnapshotRecoveryTests(PostgresServer postgres)
{
    private const string Node = "e2e-snapshot";
    private const string PersistenceId = "node-health-" + Node;
    private const int Events = 130;

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Node_recovered_from_snapshot_and_later_events_is_identical_and_still_drops_duplicates(string provider)
    {
        await using var coordinator = new CoordinatorUnderTest(provider == "Sqlite" ? Database.Sqlite() : await postgres.CreateDatabaseAsync());
        var journal = new Journal(coordinator);
        await coordinator.StartAsync();
        using var client = new IngestClient(coordinator.GrpcAddress);
        var findings = Enumerable.Range(1, Events)
            .Select(i => IngestClient.Finding(Node, i, severity: i == 50 ? Severity.Fatal : Severity.Warning, reason: i == 50 ? "KernelBug" : "SoftLockup"))
            .ToList();
        await client.ExchangeAsync(CoordinatorUnderTest.Token, [IngestClient.Hello(Node), .. findings.Select(f => IngestClient.Batch(f))]);
        var before = (await coordinator.NodeAsync(Node))!.ToJsonString();

        await Eventually.TrueAsync(async () => (await journal.SnapshotsAsync(PersistenceId)).Contains(100),
            TimeSpan.FromSeconds(10), () => "no snapshot at event 100");
        var written = await journal.EventsAsync(PersistenceId);
        Assert.True(written > Events, $"only {written} events in the journal");
        Assert.Equal(100, await journal.EventsAsync(PersistenceId, throughSequence: 100)); // A snapshot deletes no history.

        await coordinator.StopAsync();
        await journal.RemoveEventsAsync(PersistenceId, throughSequence: 100); // Only the snapshot can bring these back.
        await coordinator.StartAsync();

        Assert.Equal(before, (await coordinator.NodeAsync(Node))?.ToJsonString());
        var resent = await client.ExchangeAsync(CoordinatorUnderTest.Token, IngestClient.Hello(Node), IngestClient.Batch([.. findings.TakeLast(40)]));
        Assert.Equal((0, 40), (resent[^1].Ack!.Accepted, resent[^1].Ack!.Duplicates));
    }

    [Fact]
    public async Task History_older_than_the_retention_is_trimmed_up_to_an_old_snapshot_and_the_node_still_recovers()
    {
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        coordinator.ExtraArguments.AddRange(["--Coordinator:HistoryRetention=00:00:03", "--Coordinator:HistoryTrimEvery=00:00:01"]);
        var journal = new Journal(coordinator);
        await coordinator.StartAsync();
        using var client = new IngestClient(coordinator.GrpcAddress);
        await client.ExchangeAsync(CoordinatorUnderTest.Token,
            [IngestClient.Hello(Node), .. Enumerable.Range(1, 230).Select(i => IngestClient.Batch(IngestClient.Finding(Node, i)))]);
        var before = (await coordinator.NodeAsync(Node))!.ToJsonString();
        var total = await journal.EventsAsync(PersistenceId);

        // The entity asks for both deletions at once and they finish in either order: wait for both.
        await Eventually.TrueAsync(async () => await journal.EventsAsync(PersistenceId, throughSequence: 200) == 0
                && (await journal.SnapshotsAsync(PersistenceId)).SequenceEqual([200L]),
            TimeSpan.FromSeconds(20), () => "events and the snapshot covered by the snapshot at 200 were not trimmed");
        Assert.Equal(total - 200, await journal.EventsAsync(PersistenceId)); // Nothing past the trim point goes.

        await coordinator.StopAsync();
        await coordinator.StartAsync();
        Assert.Equal(before, (await coordinator.NodeAsync(Node))?.ToJsonString());
    }
}

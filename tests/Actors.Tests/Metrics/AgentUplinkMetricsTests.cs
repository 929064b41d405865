using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Metrics;
using NodeHealth.Actors.Tests.Agent;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Metrics;

/// <summary>
/// The agent's spool and reconnect series, read as a scrape reads them. They have no label to tell one test's uplink
/// from another's, so these tests run alone (no other test class runs beside them).
/// </summary>
[Collection(AgentUplinkMetricsCollection.Name)]
public sealed class AgentUplinkMetricsTests : TestKit, IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "uplink-metrics-" + Guid.NewGuid().ToString("N"));
    private readonly FakeUplinkTransport _coordinator = new();

    [Fact]
    public async Task The_spool_depth_follows_what_waits_for_an_ack_and_a_lost_stream_counts_one_reconnect()
    {
        using var depth = new MeasurementsOf(MeterNames.Agent, "node_health.agent.spool.findings");
        using var reconnects = new MeasurementsOf(MeterNames.Agent, "node_health.agent.reconnects");
        _coordinator.Up();
        _coordinator.AutoAcknowledge = false;
        var uplink = Sys.ActorOf(Props.Create(() => new UplinkActor(
            new UplinkSettings("node-a", "test", _state) { MinBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) },
            _coordinator, TimeProvider.System)));

        uplink.Tell(Publish(1));
        uplink.Tell(Publish(2));
        await AwaitAssertAsync(() => Assert.Equal(2, _coordinator.Received.Where(m => m.Batch is not null).Sum(m => m.Batch!.Findings.Length)), TimeSpan.FromSeconds(5));
        Assert.Equal(2, Scrape(depth));
        Assert.Empty(reconnects.All);

        _coordinator.Down();
        await AwaitAssertAsync(() => Assert.Equal([1.0], reconnects.All.Select(r => r.Value)), TimeSpan.FromSeconds(5));
        _coordinator.AutoAcknowledge = true;
        _coordinator.Up();

        await AwaitAssertAsync(() => Assert.Equal(0, Scrape(depth)), TimeSpan.FromSeconds(5));
        Assert.Single(reconnects.All); // Connecting again is not a second reconnect.
    }

    [Fact]
    public void Findings_a_full_spool_dropped_are_counted_when_scraped()
    {
        using var dropped = new MeasurementsOf(MeterNames.Agent, "node_health.agent.spool.dropped");
        var spool = FindingSpool.Open(_state, capacity: 3);
        AgentMetrics.Watch(spool);

        spool.Append([.. Enumerable.Range(1, 5).Select(i => new Finding("node-a", ConditionType.KernelReady, "SoftLockup", Severity.Warning, $"m{i}",
            DateTime.UtcNow, "kmsg", null, "run-1", i))], "kmsg", "c");

        Assert.Equal(2, Scrape(dropped));
    }

    private static PublishFindings Publish(int line) => new(
        [new FindingDraft(ConditionType.KernelReady, "SoftLockup", Severity.Warning, $"line {line}", DateTime.UtcNow, "kmsg")], "kmsg", $"boot:{line}");

    /// <summary>The value a scrape would read now (observable instruments report only when asked).</summary>
    private static double Scrape(MeasurementsOf instrument)
    {
        var before = instrument.All.Count;
        instrument.Observe();
        return instrument.All.Skip(before).Single().Value;
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        if (Directory.Exists(_state))
            Directory.Delete(_state, recursive: true);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AgentUplinkMetricsCollection
{
    public const string Name = "agent uplink metrics";
}

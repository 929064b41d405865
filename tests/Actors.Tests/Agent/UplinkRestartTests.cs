using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Agent;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Agent;

/// <summary>The uplink crashes and its backoff supervisor restarts it while the kernel monitor keeps reading.</summary>
public sealed class UplinkRestartTests : TestKit, IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "uplink-restart-" + Guid.NewGuid().ToString("N"));
    private readonly FakeUplinkTransport _coordinator = new();
    private readonly ScriptedKernelLog _log = new();

    private IEnumerable<Finding> Delivered => _coordinator.Received.Where(m => m.Batch is not null).SelectMany(m => m.Batch!.Findings);

    private void StartAgent()
    {
        Sys.ActorOf(FastAgent.Props(_state, _coordinator, _log, new AgentBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2))), "agent");
    }

    [Fact]
    public async Task Findings_read_while_the_uplink_restarts_are_delivered_each_exactly_once()
    {
        _coordinator.Up();
        StartAgent();
        await AwaitAssertAsync(() => Assert.True(_log.Opens > 0));
        _log.Records.Add(ScriptedKernelLog.SoftLockup(1));
        await AwaitAssertAsync(() => Assert.Single(Delivered), TimeSpan.FromSeconds(5));

        var uplink = await Sys.ActorSelection("/user/agent/uplink/uplink").ResolveOne(TimeSpan.FromSeconds(3));
        uplink.Tell(Kill.Instance);
        for (var sequence = 2; sequence <= 6; sequence++)
            _log.Records.Add(ScriptedKernelLog.SoftLockup(sequence));

        await AwaitAssertAsync(() => Assert.Equal(6, Delivered.Select(f => f.Message).Distinct().Count()), TimeSpan.FromSeconds(10));
        // Resends carry the same identity, which the coordinator deduplicates: one identity per finding.
        Assert.All(Delivered.GroupBy(f => f.Message), g => Assert.Single(g.Select(f => (f.AgentBootId, f.Sequence)).Distinct()));
    }

    [Fact]
    public async Task Restarted_uplink_hears_the_monitors_state_again()
    {
        _coordinator.Up();
        StartAgent();
        await AwaitAssertAsync(() => Assert.True(_log.Opens > 0));
        var uplink = await Sys.ActorSelection("/user/agent/uplink/uplink").ResolveOne(TimeSpan.FromSeconds(3));
        var helloes = _coordinator.Connections;
        var before = _coordinator.Received.Count;

        uplink.Tell(Kill.Instance);

        await AwaitAssertAsync(() => Assert.True(_coordinator.Connections > helloes), TimeSpan.FromSeconds(5));
        var restarted = await Sys.ActorSelection("/user/agent/uplink/uplink").ResolveOne(TimeSpan.FromSeconds(3));
        await AwaitAssertAsync(async () =>
        {
            var status = await restarted.Ask<UplinkStatus>(GetUplinkStatus.Instance);
            Assert.True(status.Connected);
            Assert.Contains(_coordinator.Received.Skip(before), m =>
                (m.Status?.Monitors ?? m.Hello?.Monitors)?.Any(s => s is { Condition: ConditionType.KernelReady, State: MonitorState.Active }) == true);
        }, TimeSpan.FromSeconds(5));
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        if (Directory.Exists(_state))
            Directory.Delete(_state, recursive: true);
    }
}

using System.Diagnostics;
using NodeHealth.Actors.Agent.ContainerRuntime;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.NodeHost.ContainerRuntime;

namespace NodeHealth.NodeHost.Tests.ContainerRuntime;

/// <summary>The CRI probe against a real gRPC server on a unix socket, through the catalog's verdicts as the monitor runs them.</summary>
public sealed class CriStatusProbeTests : IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 3, 1, 6, 0, 0, DateTimeKind.Utc);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cri-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly SteppedClock _clock = new(T0);
    /// <summary>Each poll opens a connection of its own: room for a loaded test machine, where 1 s missed about one run in three.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private FakeCriServer _runtime = null!;

    private string SocketPath => Path.Combine(_root, "run/containerd/containerd.sock");

    public async Task InitializeAsync()
    {
        _runtime = await FakeCriServer.StartAsync(SocketPath);
        // The first call of a process pays for JIT and HTTP/2 set-up; the polls under test have a short deadline.
        Assert.IsType<RuntimeAnswer.Answered>(await new CriRuntimeStatusSource(SocketPath, "warm-up").StatusAsync(TimeSpan.FromSeconds(20)));
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private CriStatusProbe Probe(TimeSpan? deadline = null) =>
        new(new CriRuntimeStatusSource(SocketPath, "/run/containerd/containerd.sock under " + _root), _clock, new ContainerRuntimeSettings { CriDeadline = deadline ?? Deadline });

    private static ProbeVerdicts Verdicts() => new("cri", CatalogLoader.LoadBuiltIn().RulesFor("probe-cri"));

    [Fact]
    public async Task A_healthy_runtime_answers_Status_and_passes()
    {
        var source = new CriRuntimeStatusSource(SocketPath, "containerd");

        var answer = Assert.IsType<RuntimeAnswer.Answered>(await source.StatusAsync(TimeSpan.FromSeconds(5)));

        Assert.Equal([("RuntimeReady", true), ("NetworkReady", true)], answer.Conditions.Select(c => (c.Type, c.Status)));
        Assert.Equal(ProbeOutcome.Passing, Probe().Poll());
    }

    [Fact]
    public void A_runtime_reporting_RuntimeReady_false_raises_ContainerRuntimeNotReady_until_it_is_ready()
    {
        var probe = Probe();
        var verdicts = Verdicts();
        _runtime.Mode = FakeCriServer.Behaviour.NotReady;

        var notReady = verdicts.Observe(((ProbeOutcome.Checked)probe.Poll()).Failing, _clock.Step(TimeSpan.FromSeconds(10)));
        _runtime.Mode = FakeCriServer.Behaviour.Healthy;
        var ready = verdicts.Observe(((ProbeOutcome.Checked)probe.Poll()).Failing, _clock.Step(TimeSpan.FromSeconds(10)));

        var finding = Assert.Single(notReady.Raised);
        Assert.Equal((ConditionType.ContainerRuntimeReady, "ContainerRuntimeNotReady", Severity.Fatal), (finding.Condition, finding.Reason, finding.Severity));
        Assert.Contains("ContainerdNotReady: cri plugin is not initialized", finding.Message);
        Assert.Equal("ContainerRuntimeNotReady", Assert.Single(ready.Recovered).Reason);
    }

    [Fact]
    public void A_runtime_that_stops_answering_is_unresponsive_after_two_minutes_and_recovers_when_it_answers()
    {
        var hungDeadline = TimeSpan.FromSeconds(2);
        var probe = Probe(hungDeadline);
        var verdicts = Verdicts();
        verdicts.Observe(((ProbeOutcome.Checked)probe.Poll()).Failing, _clock.Step(TimeSpan.Zero));
        _runtime.Mode = FakeCriServer.Behaviour.Hung;

        var timer = Stopwatch.StartNew();
        var silent = verdicts.Observe(((ProbeOutcome.Checked)probe.Poll()).Failing, _clock.Step(TimeSpan.FromSeconds(10)));
        var oneCall = timer.Elapsed;
        _clock.Step(TimeSpan.FromMinutes(2));
        var hung = verdicts.Observe(((ProbeOutcome.Checked)probe.Poll()).Failing, _clock.Now);
        _runtime.Mode = FakeCriServer.Behaviour.Healthy;
        var back = verdicts.Observe(((ProbeOutcome.Checked)probe.Poll()).Failing, _clock.Step(TimeSpan.FromSeconds(10)));

        Assert.True(silent.IsEmpty);
        Assert.True(oneCall < hungDeadline + TimeSpan.FromSeconds(2), $"a hung runtime held the poll for {oneCall}");
        var finding = Assert.Single(hung.Raised);
        Assert.Equal(("ContainerRuntimeUnresponsive", Severity.Fatal, RecoveryMode.Probe), (finding.Reason, finding.Severity, finding.Recovery));
        Assert.Contains("no answer within 2 s", finding.Message);
        Assert.Equal("ContainerRuntimeUnresponsive", Assert.Single(back.Recovered).Reason);
    }

    [Fact]
    public async Task A_socket_nobody_listens_on_is_no_answer_and_a_missing_one_is_no_socket()
    {
        await _runtime.DisposeAsync();
        var stale = Path.Combine(_root, "stale.sock");
        using var bound = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        bound.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(stale)); // The socket file exists, nobody listens (a runtime that died).

        var refused = await new CriRuntimeStatusSource(stale, "stale").StatusAsync(TimeSpan.FromSeconds(2));
        var missing = await new CriRuntimeStatusSource(Path.Combine(_root, "none.sock"), "none").StatusAsync(TimeSpan.FromSeconds(2));

        Assert.IsType<RuntimeAnswer.NotAnswered>(refused);
        Assert.IsType<RuntimeAnswer.NoSocket>(missing);
        _runtime = await FakeCriServer.StartAsync(Path.Combine(_root, "again", "containerd.sock"));
    }

    private sealed class SteppedClock(DateTime start) : TimeProvider
    {
        public DateTime Now { get; private set; } = start;

        public DateTime Step(TimeSpan by) => Now += by;

        public override DateTimeOffset GetUtcNow() => new(Now, TimeSpan.Zero);
    }
}

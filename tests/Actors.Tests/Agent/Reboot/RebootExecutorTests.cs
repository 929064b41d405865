using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Agent.Reboot;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Tests.Agent.Reboot;

/// <summary>
/// The agent's uplink and reboot executor with a recorded reboot command (a script that appends a line to a file): a
/// command runs once, and a repeat after the agent restarted on the same state directory is answered, not run.
/// </summary>
public sealed class RebootExecutorTests : TestKit, IDisposable
{
    private static readonly DateTime T0 = new(2026, 11, 27, 22, 0, 0, DateTimeKind.Utc);
    private readonly string _state = Path.Combine(Path.GetTempPath(), "reboot-" + Guid.NewGuid().ToString("N"));
    private readonly string _script;
    private readonly string _reboots;
    private FakeUplinkTransport _coordinator = new();

    public RebootExecutorTests()
    {
        Directory.CreateDirectory(_state);
        _reboots = Path.Combine(_state, "reboots.log");
        _script = Path.Combine(_state, "reboot.sh");
        File.WriteAllText(_script, $"#!/bin/sh\necho \"reboot $*\" >> '{_reboots}'\necho queued\n");
    }

    private RebootSettings Recorded(bool enabled = true) =>
        RebootSettings.Disabled with { Enabled = enabled, Command = ["/bin/sh", _script, "now"], CommandTimeout = TimeSpan.FromSeconds(10) };

    /// <summary>An agent's uplink and executor on the state directory, connected to a fresh coordinator stand-in.</summary>
    private (IActorRef Uplink, IActorRef Executor) StartAgent(RebootSettings settings, string bootId)
    {
        _coordinator = new FakeUplinkTransport();
        _coordinator.Up();
        var uplink = Sys.ActorOf(Props.Create(() => new UplinkActor(new UplinkSettings("node-a", "test", _state, bootId), _coordinator, TimeProvider.System)));
        var executor = Sys.ActorOf(RebootExecutor.Props(settings, _state, bootId, uplink, TimeProvider.System));
        return (uplink, executor);
    }

    private async Task Stop(params IActorRef[] actors)
    {
        foreach (var actor in actors)
            await actor.GracefulStop(TimeSpan.FromSeconds(5));
    }

    /// <summary>Sends the command down the stream (again while unanswered, as the coordinator does with each heartbeat) until an answer comes up.</summary>
    private async Task<AgentCommandResult> Command(AgentCommand command)
    {
        AgentCommandResult? result = null;
        await AwaitAssertAsync(() =>
        {
            result = _coordinator.Received.Select(m => m.CommandResult).LastOrDefault(r => r?.Id == command.Id);
            if (result is null)
                _coordinator.SendDown(new CoordinatorMessage(Command: command));
            Assert.NotNull(result);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
        return result!;
    }

    private string[] Reboots => File.Exists(_reboots) ? File.ReadAllLines(_reboots) : [];

    [Fact]
    public async Task A_reboot_command_runs_once_and_a_repeat_after_the_agent_restarted_is_answered_from_the_ledger()
    {
        var command = new AgentCommand("repair-17", AgentCommandKind.Reboot, T0, "boot-a");
        var (uplink, executor) = StartAgent(Recorded(), "boot-a");

        var first = await Command(command);

        Assert.Equal((AgentCommandOutcome.Accepted, "boot-a"), (first.Outcome, first.HostBootId));
        Assert.Equal($"ran '/bin/sh {_script} now': queued", first.Detail);
        Assert.Equal(["reboot now"], Reboots);

        await Stop(executor, uplink); // The host rebooted: a new agent run on a new boot, the same state directory.
        (uplink, executor) = StartAgent(Recorded(), "boot-b");

        var repeat = await Command(command);

        Assert.Equal(first, repeat);
        Assert.Equal(["reboot now"], Reboots);
        await Stop(executor, uplink);
    }

    [Fact]
    public async Task An_agent_with_rebooting_off_refuses_and_runs_nothing()
    {
        var (uplink, executor) = StartAgent(Recorded(enabled: false), "boot-a");

        var refused = await Command(new AgentCommand("repair-17", AgentCommandKind.Reboot, T0, "boot-a"));

        Assert.Equal(AgentCommandOutcome.Refused, refused.Outcome);
        Assert.Equal(RebootSettings.NotEnabled, refused.Detail);
        Assert.Empty(Reboots);
        await Stop(executor, uplink);
    }

    [Fact]
    public async Task A_reboot_command_that_fails_is_answered_failed_with_its_output_and_not_tried_again()
    {
        File.WriteAllText(_script, $"#!/bin/sh\necho \"reboot $*\" >> '{_reboots}'\necho 'Failed to connect to bus' >&2\nexit 1\n");
        var command = new AgentCommand("repair-17", AgentCommandKind.Reboot, T0, "boot-a");
        var (uplink, executor) = StartAgent(Recorded(), "boot-a");

        var failed = await Command(command);
        _coordinator.SendDown(new CoordinatorMessage(Command: command));
        await AwaitAssertAsync(() => Assert.Equal(2, _coordinator.Received.Count(m => m.CommandResult?.Id == command.Id)));

        Assert.Equal((AgentCommandOutcome.Failed, $"'/bin/sh {_script} now' exited with 1: Failed to connect to bus"), (failed.Outcome, failed.Detail));
        Assert.Equal(["reboot now"], Reboots);
        await Stop(executor, uplink);
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        if (Directory.Exists(_state))
            Directory.Delete(_state, recursive: true);
    }
}

using Akka.Actor;
using Akka.Configuration;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Tests.Health;

/// <summary>
/// The entity delivers a command to whichever stream the agent attached last, again to each new one (a reconnect, a heartbeat
/// after a failover) until the agent answers, and keeps both the command and the answer across its own restart.
/// </summary>
public sealed class AgentCommandEntityTests() : Akka.TestKit.Xunit2.TestKit(Config)
{
    private const string Node = "node-a";
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);

    private static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    private IActorRef Entity() =>
        Sys.ActorOf(Props.Create(() => new NodeHealthEntity(Node, new NodeHealthSettings(TestReasons.Catalog, TimeProvider.System))));

    private static Task<AgentCommandStatus> Reboot(IActorRef entity, string id) =>
        entity.Ask<AgentCommandStatus>(new RequestAgentCommand(Node, id, AgentCommandKind.Reboot), AskTimeout);

    [Fact]
    public async Task A_command_goes_to_the_attached_stream_then_to_the_next_one_until_the_agent_answers()
    {
        var entity = Entity();
        await entity.Ask<MonitorsAck>(new ReportHostBoot(Node, "boot-a"), AskTimeout);
        var first = CreateTestProbe();
        entity.Tell(new AttachAgentStream(Node, "run-1"), first);

        var status = await Reboot(entity, "repair-17");

        Assert.True(status.AgentConnected);
        Assert.Equal("boot-a", status.Command.ForHostBootId);
        var delivered = first.ExpectMsg<DeliverAgentCommands>();
        Assert.Equal(["repair-17"], delivered.Commands.Select(c => c.Id));

        var second = CreateTestProbe(); // The agent reconnected (to this or another coordinator).
        entity.Tell(new AttachAgentStream(Node, "run-2"), second);
        Assert.Equal(["repair-17"], second.ExpectMsg<DeliverAgentCommands>().Commands.Select(c => c.Id));

        entity.Tell(new RecordAgentCommandResult(Node, new AgentCommandResult("repair-17", AgentCommandOutcome.Accepted, "ran it", "boot-a")), second);
        await AwaitAssertAsync(async () => Assert.Equal(AgentCommandOutcome.Accepted, (await Reboot(entity, "repair-17")).Command.Outcome), TimeSpan.FromSeconds(3));
        entity.Tell(new RenewAgentLease(Node), second);
        second.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Without_a_stream_the_command_waits_and_goes_out_with_the_first_heartbeat_after_a_restart_of_the_entity()
    {
        var entity = Entity();
        await entity.Ask<MonitorsAck>(new ReportHostBoot(Node, "boot-a"), AskTimeout);

        var waiting = await Reboot(entity, "repair-17");
        Assert.False(waiting.AgentConnected);

        await entity.GracefulStop(AskTimeout); // A failover: the new incarnation knows no stream.
        var recovered = Entity();
        var again = await Reboot(recovered, "repair-17");
        Assert.Equal((false, AgentCommandOutcome.Unknown), (again.AgentConnected, again.Command.Outcome));

        var stream = CreateTestProbe();
        recovered.Tell(new RenewAgentLease(Node), stream);
        Assert.Equal(["repair-17"], stream.ExpectMsg<DeliverAgentCommands>().Commands.Select(c => c.Id));
        Assert.True((await Reboot(recovered, "repair-17")).AgentConnected);
    }

    [Fact]
    public async Task A_stream_that_ends_is_no_longer_the_agents()
    {
        var entity = Entity();
        await entity.Ask<MonitorsAck>(new ReportHostBoot(Node, "boot-a"), AskTimeout);
        var stream = CreateTestProbe();
        entity.Tell(new AttachAgentStream(Node, "run-1"), stream);
        await entity.Ask<NodeHealthState>(new GetNodeHealth(Node), AskTimeout); // The attach is handled.

        Sys.Stop(stream.Ref);

        await AwaitAssertAsync(async () => Assert.False((await Reboot(entity, "repair-17")).AgentConnected), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_command_for_a_node_no_agent_reported_for_is_answered_not_found()
    {
        Assert.IsType<NodeNotFound>(await Entity().Ask<object>(new RequestAgentCommand(Node, "repair-17", AgentCommandKind.Reboot), AskTimeout));
    }
}

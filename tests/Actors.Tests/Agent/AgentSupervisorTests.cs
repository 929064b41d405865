using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Agent;

namespace NodeHealth.Actors.Tests.Agent;

public sealed class AgentSupervisorTests : TestKit
{
    private sealed class Monitor : ReceiveActor
    {
        public Monitor(string name, IActorRef probe)
        {
            probe.Tell($"{name} started");
            Receive<string>(m => m == "boom", _ => throw new InvalidOperationException("monitor bug"));
            Receive<string>(m => Sender.Tell($"{name} got {m}"));
        }
    }

    [Fact]
    public async Task Child_that_throws_is_restarted_with_backoff_while_its_siblings_keep_running()
    {
        var probe = CreateTestProbe();
        var supervisor = Sys.ActorOf(Props.Create(() => new AgentSupervisor(
            Props.Create(() => new Monitor("uplink", probe.Ref)),
            new AgentChild[]
            {
                new("flaky", _ => Props.Create(() => new Monitor("flaky", probe.Ref))),
                new("steady", _ => Props.Create(() => new Monitor("steady", probe.Ref))),
            },
            new AgentBackoff(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2)))));
        var started = new[] { await probe.ExpectMsgAsync<string>(), await probe.ExpectMsgAsync<string>(), await probe.ExpectMsgAsync<string>() };
        Assert.Equal(["flaky started", "steady started", "uplink started"], started.Order());

        var flaky = await supervisor.Ask<IActorRef>(new AgentSupervisor.GetChild("flaky"));
        var steady = await supervisor.Ask<IActorRef>(new AgentSupervisor.GetChild("steady"));
        var failedAt = DateTime.UtcNow;
        flaky.Tell("boom");

        Assert.Equal("steady got ping", await steady.Ask<string>("ping", TimeSpan.FromSeconds(1))); // Unaffected meanwhile.
        await probe.ExpectMsgAsync("flaky started", TimeSpan.FromSeconds(5));
        Assert.True(DateTime.UtcNow - failedAt >= TimeSpan.FromMilliseconds(200), "restarted without backoff");
        Assert.Equal("flaky got ping", await flaky.Ask<string>("ping", TimeSpan.FromSeconds(3)));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300)); // Steady and the uplink were not restarted.
    }
}

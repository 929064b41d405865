using System.Diagnostics;
using NodeHealth.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// An agent in its own network namespace loses its link to the coordinator: no reset, no close, packets just
/// vanish while both processes run. It keeps its findings spooled, notices the dead stream by its keepalive,
/// and once the link is back delivers every finding exactly once.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClusterNetworkCutTests(PostgresServer postgres, ITestOutputHelper output)
{
    /// <summary>Past the agent's HTTP/2 keepalive (20 s without a frame, then 10 s for the ping's answer): the stream is declared dead.</summary>
    private static readonly TimeSpan Cut = TimeSpan.FromSeconds(33);

    private readonly string _tag = KernelLog.NewTag();

    [Fact]
    public async Task Agent_cut_off_by_its_network_keeps_findings_spooled_and_delivers_each_exactly_once_when_the_link_returns()
    {
        using var network = AgentNetwork.Create(_tag[4..]);
        await using var coordinator = new CoordinatorUnderTest(await postgres.CreateDatabaseAsync()) { ListenAddress = "0.0.0.0" };
        await coordinator.StartAsync();
        await using var agent = new AgentUnderTest(coordinator, $"{_tag}-cut") { NetworkNamespace = network.Name };
        agent.ExtraArguments.Add($"--Agent:CoordinatorUrl=http://{network.HostAddress}:{coordinator.GrpcPort}");
        await agent.StartAsync();
        var flow = new FindingFlow(_tag);
        flow.Write();
        await flow.AssertEachExactlyOnceAsync(coordinator, agent.NodeName, TimeSpan.FromSeconds(30));

        network.Cut(true);
        var cut = Stopwatch.StartNew();
        try
        {
            await flow.RunAsync(8, TimeSpan.FromMilliseconds(300));
            await Eventually.TrueAsync(() => Task.FromResult(Enumerable.Range(1, 7).All(l => flow.Spooled(agent, l))),
                TimeSpan.FromSeconds(5), () => $"not spooled:\n{agent.Output}");
            await Eventually.TrueAsync(() => Task.FromResult(agent.Output.Contains("Coordinator stream to ")),
                Cut, () => $"the agent never noticed its stream was dead:\n{FindingFlow.Tail(agent.Output)}");
            await Task.Delay(Cut - cut.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        }
        finally
        {
            network.Cut(false);
        }

        output.WriteLine($"link down for {cut.Elapsed.TotalSeconds:0.0} s");
        await flow.RunAsync(10, TimeSpan.FromMilliseconds(300));
        await flow.AssertEachExactlyOnceAsync(coordinator, agent.NodeName, TimeSpan.FromSeconds(30));
    }
}

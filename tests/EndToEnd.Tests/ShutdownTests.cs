using Xunit.Abstractions;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// SIGTERM, as Kubernetes stops a pod, ends a process cleanly and soon: exit code 0 well within the
/// termination grace period, never by the SIGKILL that follows it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ShutdownTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly CoordinatorUnderTest _coordinator = new(Database.Sqlite());
    private readonly AgentUnderTest _agent;
    private readonly ITestOutputHelper _output;

    public ShutdownTests(ITestOutputHelper output)
    {
        _output = output;
        _agent = new AgentUnderTest(_coordinator, $"{KernelLog.NewTag()}-shutdown");
    }

    public async Task InitializeAsync()
    {
        await _coordinator.StartAsync();
        await _agent.StartAsync();
        await _agent.KernelReadyBecomesAsync("True", "KernelIsReady"); // Its stream is open and has reported.
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _coordinator.DisposeAsync();
    }

    [Fact]
    public async Task Coordinator_with_a_connected_agent_leaves_the_cluster_and_exits_0_within_10_seconds()
    {
        var exit = await _coordinator.StopAsync();
        _output.WriteLine($"The coordinator {exit}");

        Assert.True(exit.ExitCode == 0 && exit.Took < Bound, $"The coordinator {exit}:\n{_coordinator.Output}");
        Assert.Contains("Exiting completed", _coordinator.Output); // Left the cluster through CoordinatedShutdown.
        // The coordinator ended the stream itself: Unavailable with its reason or, when the agent was writing at that
        // moment, the client reports the graceful close (GOAWAY NO_ERROR) it met first; never a stream left hanging.
        await Eventually.TrueAsync(() => Task.FromResult(_agent.Output.Contains("the coordinator is shutting down")
                || _agent.Output.Contains("HTTP/2 server closed the connection. HTTP/2 error code 'NO_ERROR'")),
            TimeSpan.FromSeconds(5), () => $"the agent was not told its stream ended:\n{_agent.Output}\n--- the coordinator:\n{_coordinator.Output}");
    }

    [Fact]
    public async Task Connected_agent_exits_0_within_10_seconds()
    {
        var exit = await _agent.StopAsync();
        _output.WriteLine($"The agent {exit}");

        Assert.True(exit.ExitCode == 0 && exit.Took < Bound, $"The agent {exit}:\n{_agent.Output}");
    }
}

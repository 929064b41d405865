using Akka.Actor;
using NodeHealth.Actors.Agent;
using NodeHealth.Actors.Agent.Kernel;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection;

namespace NodeHealth.Actors.Tests.Agent;

/// <summary>The agent's supervisor with its uplink and kernel monitor, on test-short backoffs and resend timers.</summary>
internal static class FastAgent
{
    public static Props Props(string stateDirectory, IUplinkTransport coordinator, ILogSource log, AgentBackoff backoff)
    {
        var uplink = Akka.Actor.Props.Create(() => new UplinkActor(
            new UplinkSettings("node-a", "test", stateDirectory) { MinBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) },
            coordinator, TimeProvider.System));
        var kernel = new AgentChild("kernel", up => Akka.Actor.Props.Create(() => new KernelMonitor(log, CatalogLoader.LoadBuiltIn(), up, TimeProvider.System,
            new KernelMonitorSettings { ReadWait = TimeSpan.FromMilliseconds(50), ResendAfter = TimeSpan.FromMilliseconds(300) })));
        return Akka.Actor.Props.Create(() => new AgentSupervisor(uplink, new[] { kernel }, backoff));
    }
}

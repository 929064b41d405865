namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>
/// A network namespace joined to the machine's by one veth pair (10.213.N.1 outside, .2 inside): an agent run
/// inside reaches a coordinator listening on the outer address only through it, so taking the outer end
/// down cuts that agent off — packets vanish, the processes keep running. Removed when disposed;
/// scripts/test removes namespaces named <see cref="NetworkNamespace.Prefix"/>* left by a killed test host.
/// </summary>
public sealed class AgentNetwork : IDisposable
{
    private readonly string _outside;

    private AgentNetwork(string name, string outside, string hostAddress)
    {
        Name = name;
        _outside = outside;
        HostAddress = hostAddress;
    }

    public string Name { get; }

    /// <summary>The machine's end, where a coordinator listening on 0.0.0.0 is reached from inside.</summary>
    public string HostAddress { get; }

    public static AgentNetwork Create(string run)
    {
        var subnet = Random.Shared.Next(1, 250);
        var name = NetworkNamespace.Prefix + run;
        var outside = $"nho-{run}"[..Math.Min(15, 4 + run.Length)];
        var inside = $"nhi-{run}"[..Math.Min(15, 4 + run.Length)];
        var network = new AgentNetwork(name, outside, $"10.213.{subnet}.1");
        try
        {
            HostCommand.Run("ip", "netns", "add", name);
            HostCommand.Run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
            HostCommand.Run("ip", "link", "set", inside, "netns", name);
            HostCommand.Run("ip", "addr", "add", $"10.213.{subnet}.1/30", "dev", outside);
            HostCommand.Run("ip", "link", "set", outside, "up");
            HostCommand.Run("ip", "-n", name, "addr", "add", $"10.213.{subnet}.2/30", "dev", inside);
            HostCommand.Run("ip", "-n", name, "link", "set", inside, "up");
            HostCommand.Run("ip", "-n", name, "link", "set", "lo", "up");
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Takes the machine's end down (true) or up again (false): a cut cable, not a closed socket.</summary>
    public void Cut(bool cut) => HostCommand.Run("ip", "link", "set", _outside, cut ? "down" : "up");

    public void Dispose()
    {
        HostCommand.TryRun("ip", "link", "del", _outside);
        HostCommand.TryRun("ip", "netns", "del", Name);
    }
}

using System.Net;

namespace NodeHealth.NodeHost.Metrics;

/// <summary>
/// The agent's Prometheus endpoint, section "Agent:Metrics": <c>http://Address:Port/metrics</c>. Off unless enabled (the
/// DaemonSet enables it on the node's network), so a laptop run or a test opens no port.
/// </summary>
public sealed class AgentMetricsOptions
{
    public const int DefaultPort = 9464;

    public bool Enabled { get; set; }

    /// <summary>The address to listen on: 0.0.0.0 (every interface, the DaemonSet on the host network), or one address such as 127.0.0.1.</summary>
    public string Address { get; set; } = "0.0.0.0";

    public int Port { get; set; } = DefaultPort;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IPAddress.TryParse(Address, out _))
            errors.Add($"Agent:Metrics:Address '{Address}' is not an IP address (use 0.0.0.0 for every interface, or e.g. 127.0.0.1)");
        if (Port is < 1 or > 65535)
            errors.Add($"Agent:Metrics:Port {Port} must be a port between 1 and 65535 (default {DefaultPort})");
        return errors;
    }

    /// <summary>The HttpListener's host: a wildcard for every interface (the Host header is then not matched), else the address.</summary>
    public string ListenerHost()
    {
        var address = IPAddress.Parse(Address);
        return address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "+"
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }

    public string UriPrefix() => $"http://{ListenerHost()}:{Port}/";
}

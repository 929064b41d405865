using NodeHealth.Actors.Agent.Networking;
using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.Actors.Tests.Agent.Networking;

public sealed class InterfaceCheckTests : IDisposable
{
    // Flags as /sys/class/net/*/flags shows them on a real host.
    private static readonly NetInterface Lo = new("lo", 0x9, "unknown", "00:00:00:00:00:00");
    private static readonly NetInterface Eth0 = new("eth0", 0x1003, "up", "0a:1b:2c:3d:4e:5f");

    private static readonly IReadOnlyList<System.Text.RegularExpressions.Regex> Defaults = NetworkingMonitor.Exclusions(InterfaceCheck.DefaultExclusions);

    private readonly SysfsTree _host = new();

    private static IReadOnlyList<ProbeFailure> Check(params NetInterface[] interfaces) => InterfaceCheck.Failures(interfaces, Defaults);

    [Fact]
    public void Healthy_loopback_and_ethernet_pass()
    {
        Assert.Empty(Check(Lo, Eth0));
    }

    [Fact]
    public void An_administratively_down_interface_is_not_up_and_the_message_names_it_and_its_mac()
    {
        var failure = Assert.Single(Check(Lo, Eth0 with { Flags = 0x1002, OperState = "down" }));

        Assert.Equal(("InterfaceNotUp", "eth0", "interface eth0 (0a:1b:2c:3d:4e:5f) is not up (operstate down)"), (failure.Reason, failure.Entity, failure.Message));
    }

    [Fact]
    public void An_up_interface_without_carrier_is_not_running()
    {
        var failure = Assert.Single(Check(Lo, Eth0 with { OperState = "lowerlayerdown" }));

        Assert.Equal(("InterfaceNotRunning", "eth0"), (failure.Reason, failure.Entity));
    }

    [Fact]
    public void Without_a_loopback_interface_the_host_misses_it()
    {
        var failure = Assert.Single(Check(Eth0));

        Assert.Equal(("MissingLoopbackInterface", null, "no network interface has the loopback flag (interfaces: eth0)"), (failure.Reason, failure.Entity, failure.Message));
    }

    [Theory]
    [InlineData("docker0")]
    [InlineData("gre0")]
    [InlineData("tunl0")]
    [InlineData("ip6tnl0")]
    [InlineData("ib0")]
    [InlineData("ibp1s0f1")]
    public void Docker_tunnel_and_infiniband_interfaces_are_left_alone(string name)
    {
        Assert.Empty(Check(Lo, Eth0 with { Name = name, Flags = 0x1002, OperState = "down" }));
    }

    [Fact]
    public void Dummy_interfaces_without_multicast_such_as_nodelocaldns_are_left_alone()
    {
        Assert.Empty(Check(Lo, new NetInterface("nodelocaldns", 0x82, "down", "ce:4f:00:11:22:33")));
    }

    [Fact]
    public void An_empty_bridge_is_not_reported_as_not_running_but_a_down_bridge_is_not_up()
    {
        var cni0 = new NetInterface("cni0", 0x1003, "down", "aa:bb:cc:dd:ee:ff", EmptyBridge: true);

        Assert.Empty(Check(Lo, cni0));
        Assert.Equal("InterfaceNotUp", Assert.Single(Check(Lo, cni0 with { Flags = 0x1002 })).Reason);
    }

    [Fact]
    public void Operator_exclusions_replace_the_defaults_and_an_empty_list_watches_everything()
    {
        var gre = Eth0 with { Name = "gre0", Flags = 0x1002 };

        Assert.Single(InterfaceCheck.Failures([Lo, gre], []));
        Assert.Empty(InterfaceCheck.Failures([Lo, gre, Eth0 with { Name = "vlan100", Flags = 0x1002 }], NetworkingMonitor.Exclusions(["^gre", "^vlan"])));
    }

    [Fact]
    public void Every_failing_interface_is_reported_not_only_the_first()
    {
        Assert.Equal(["eth0", "eth1"], Check(Lo, Eth0 with { Flags = 0x1002 }, Eth0 with { Name = "eth1", Flags = 0x1002 }).Select(f => f.Entity));
    }

    [Fact]
    public void The_probe_reads_flags_operstate_mac_and_bridge_ports_from_sysfs()
    {
        _host.Interface("lo", "0x9", "unknown", "00:00:00:00:00:00")
            .Interface("eth0", "0x1002", "down", "0a:1b:2c:3d:4e:5f")
            .Interface("br0", "0x1003", "down").Directory_("/sys/class/net/br0/brif")
            .Interface("br1", "0x1003", "down").Write("/sys/class/net/br1/brif/veth1/state", "3\n");
        var probe = new InterfacesProbe(new RootedHostFiles(_host.Root), TimeSpan.FromSeconds(2), Defaults);

        var outcome = Assert.IsType<ProbeOutcome.Checked>(probe.Poll());

        Assert.Equal([("InterfaceNotRunning", "br1"), ("InterfaceNotUp", "eth0")], outcome.Failing.Select(f => (f.Reason, f.Entity)).Order());
        Assert.Contains("0a:1b:2c:3d:4e:5f", outcome.Failing.Single(f => f.Entity == "eth0").Message);
    }

    [Fact]
    public void Garbage_in_a_flags_file_makes_the_probe_unavailable_naming_the_file()
    {
        _host.Interface("lo", "0x9", "unknown").Interface("eth0", "not hex", "up");
        var probe = new InterfacesProbe(new RootedHostFiles(_host.Root), TimeSpan.FromSeconds(2), Defaults);

        var error = Assert.Throws<ProbeUnavailableException>(probe.Poll);

        Assert.Contains("/sys/class/net/eth0/flags", error.Message);
        Assert.Contains("not a hexadecimal number", error.Message);
    }

    [Fact]
    public void Without_sysfs_the_probe_is_unavailable()
    {
        var probe = new InterfacesProbe(new RootedHostFiles(_host.Root), TimeSpan.FromSeconds(2), Defaults);

        Assert.Contains("/sys/class/net does not exist", Assert.Throws<ProbeUnavailableException>(probe.Poll).Message);
    }

    [Fact]
    public void This_machine_has_a_loopback_interface_and_the_probe_reads_it()
    {
        var interfaces = new InterfacesProbe(new RootedHostFiles("/"), TimeSpan.FromSeconds(2), Defaults).Read();

        Assert.Contains(interfaces, i => i.IsLoopback && i.IsRunning);
    }

    public void Dispose() => _host.Dispose();
}

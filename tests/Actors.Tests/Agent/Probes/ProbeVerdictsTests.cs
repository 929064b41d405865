using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Agent.Probes;

public sealed class ProbeVerdictsTests
{
    private static readonly DateTime T0 = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);

    private static readonly ReasonCatalog Catalog = CatalogLoader.Parse("probe-reasons.yaml", """
        conditions:
          - type: NetworkingReady
            reasons:
              - { reason: InterfaceNotUp, severity: Fatal, source: probe-interfaces, recovery: probe, occurrences: 2, window: 12s }
              - { reason: MissingLoopbackInterface, severity: Fatal, source: probe-interfaces, recovery: probe }
              - { reason: NetworkSysctl, severity: Warning, source: probe-interfaces }
              - { reason: IPAMDNotReady, severity: Fatal, source: file-ipamd, match: 'x', recovery: manual }
        """);

    private static ProbeVerdicts Interfaces() => new("interfaces", Catalog.RulesFor("probe-interfaces"));

    private static ProbeFailure NotUp(string iface) => new("InterfaceNotUp", iface, $"interface {iface} is not up");

    private static readonly ProbeFailure NoLoopback = new("MissingLoopbackInterface", null, "no loopback interface");

    [Fact]
    public void The_first_poll_recovers_every_probe_backed_reason_it_sees_passing()
    {
        var changes = Interfaces().Observe([NoLoopback], T0);

        Assert.Equal(["MissingLoopbackInterface"], changes.Raised.Select(f => f.Reason));
        Assert.DoesNotContain(changes.Recovered, r => r.Reason == "MissingLoopbackInterface");
        var recovered = Assert.Single(changes.Recovered, r => r.Reason == "InterfaceNotUp");
        Assert.Equal((null, "passed when the agent started"), (recovered.Entity, recovered.Detail));
    }

    [Fact]
    public void A_failure_is_raised_on_its_second_consecutive_poll_within_the_window_and_only_once()
    {
        var probe = Interfaces();
        probe.Observe([], T0);

        Assert.Empty(probe.Observe([NotUp("eth0")], T0.AddSeconds(5)).Raised);
        var raised = Assert.Single(probe.Observe([NotUp("eth0")], T0.AddSeconds(10)).Raised);
        Assert.Empty(probe.Observe([NotUp("eth0")], T0.AddSeconds(15)).Raised);

        Assert.Equal((ConditionType.NetworkingReady, "InterfaceNotUp", Severity.Fatal, "eth0", RecoveryMode.Probe, "probe-interfaces", "interface eth0 is not up"),
            (raised.Condition, raised.Reason, raised.Severity, raised.Entity, raised.Recovery, raised.Source, raised.Message));
        Assert.Equal(T0.AddSeconds(10), raised.ObservedAt);
    }

    [Fact]
    public void A_passing_poll_between_two_failures_starts_the_count_afresh()
    {
        var probe = Interfaces();
        probe.Observe([NotUp("eth0")], T0);

        Assert.Empty(probe.Observe([], T0.AddSeconds(5)).Raised);
        Assert.Empty(probe.Observe([NotUp("eth0")], T0.AddSeconds(10)).Raised);
        Assert.Single(probe.Observe([NotUp("eth0")], T0.AddSeconds(15)).Raised);
    }

    [Fact]
    public void Failures_further_apart_than_the_window_do_not_add_up()
    {
        var probe = Interfaces();
        probe.Observe([NotUp("eth0")], T0);

        Assert.Empty(probe.Observe([NotUp("eth0")], T0.AddSeconds(30)).Raised);
        Assert.Single(probe.Observe([NotUp("eth0")], T0.AddSeconds(35)).Raised);
    }

    [Fact]
    public void A_reason_recovers_once_none_of_its_raised_entities_fails_any_more()
    {
        var probe = Interfaces();
        probe.Observe([NotUp("eth0"), NotUp("eth1")], T0);
        Assert.Equal(2, probe.Observe([NotUp("eth0"), NotUp("eth1")], T0.AddSeconds(5)).Raised.Count);

        Assert.Empty(probe.Observe([NotUp("eth1")], T0.AddSeconds(10)).Recovered);
        var recovered = Assert.Single(probe.Observe([], T0.AddSeconds(15)).Recovered);

        Assert.Equal(("InterfaceNotUp", "eth1", "interfaces", "eth1 passed again", T0.AddSeconds(15)),
            (recovered.Reason, recovered.Entity, recovered.Probe, recovered.Detail, recovered.ObservedAt));
    }

    [Fact]
    public void An_entity_not_yet_raised_neither_holds_back_nor_causes_a_recovery()
    {
        var probe = Interfaces();
        probe.Observe([NotUp("eth0")], T0);
        probe.Observe([NotUp("eth0")], T0.AddSeconds(5));

        var changes = probe.Observe([NotUp("eth1")], T0.AddSeconds(10));

        Assert.Equal("eth0", Assert.Single(changes.Recovered).Entity);
        Assert.Empty(probe.Observe([], T0.AddSeconds(15)).Recovered);
    }

    [Fact]
    public void Warnings_are_raised_but_never_recovered_and_reasons_outside_the_catalog_are_ignored()
    {
        var probe = Interfaces();
        var sysctl = new ProbeFailure("NetworkSysctl", null, "ip_forward is 0");

        var first = probe.Observe([sysctl, new ProbeFailure("NotInTheCatalog", null, "x")], T0);
        var passed = probe.Observe([], T0.AddSeconds(5));

        Assert.Equal(["NetworkSysctl"], first.Raised.Select(f => f.Reason));
        Assert.True(passed.IsEmpty);
    }
}

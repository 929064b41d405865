using NodeHealth.Actors.Agent.ContainerRuntime;

namespace NodeHealth.Actors.Tests.Agent.ContainerRuntime;

public sealed class UnitRestartsTests
{
    // `systemctl show --property=Id,LoadState,NRestarts kubelet.service containerd.service my-custom-service.service nope.service` (systemd 252).
    private const string Show = """
        NRestarts=5
        Id=kubelet.service
        LoadState=loaded

        NRestarts=0
        Id=containerd.service
        LoadState=loaded

        NRestarts=9
        Id=my-custom-service.service
        LoadState=loaded

        NRestarts=0
        Id=nope.service
        LoadState=not-found

        """;

    [Theory]
    [InlineData("kubelet.service", "KubeletRepeatedRestart")]
    [InlineData("containerd", "ContainerdRepeatedRestart")]
    [InlineData("my-custom-service.service", "My-Custom-ServiceRepeatedRestart")]
    [InlineData("NetworkManager", "NetworkmanagerRepeatedRestart")]
    [InlineData("k3s-agent", "K3s-AgentRepeatedRestart")]
    public void The_reason_is_the_unit_title_cased_per_word_with_hyphens_kept(string unit, string reason)
    {
        Assert.Equal(reason, UnitRestarts.ReasonFor(unit));
    }

    [Theory]
    [InlineData("getty@tty1.service")]
    [InlineData("systemd_x")]
    [InlineData(".service")]
    public void A_unit_name_that_cannot_make_a_reason_makes_none(string unit)
    {
        Assert.Null(UnitRestarts.ReasonFor(unit));
    }

    [Fact]
    public void Systemctl_show_blocks_parse_into_counts_per_unit()
    {
        var units = UnitRestarts.Parse(Show);

        Assert.Equal(
            [("kubelet.service", 5L, true), ("containerd.service", 0L, true), ("my-custom-service.service", 9L, true), ("nope.service", 0L, false)],
            units.Select(u => (u.Unit, u.Restarts, u.Loaded)));
    }

    [Fact]
    public void Garbage_and_half_blocks_are_skipped()
    {
        Assert.Empty(UnitRestarts.Parse("Failed to connect to bus: No such file or directory\n\nId=x.service\nNRestarts=lots\n"));
    }

    [Fact]
    public void More_than_three_restarts_that_grew_since_the_last_poll_is_a_repeated_restart()
    {
        var before = new Dictionary<string, long> { ["kubelet.service"] = 4, ["containerd.service"] = 0, ["my-custom-service.service"] = 9 };

        var failure = Assert.Single(UnitRestarts.Failures(UnitRestarts.Parse(Show), before));

        Assert.Equal(("KubeletRepeatedRestart", "kubelet.service"), (failure.Reason, failure.Entity));
        Assert.Equal("systemd restarted kubelet.service 1 more time(s), 5 since it was started", failure.Message);
    }

    [Fact]
    public void The_first_poll_only_sets_the_baseline_and_three_restarts_are_not_yet_repeated()
    {
        var now = new[] { new UnitRestartCount("kubelet.service", 3, true), new UnitRestartCount("containerd.service", 40, true) };

        Assert.Empty(UnitRestarts.Failures(now, new Dictionary<string, long> { ["kubelet.service"] = 1 }));
    }

    [Fact]
    public void A_custom_unit_keeps_its_hyphens_in_the_reason()
    {
        var before = new Dictionary<string, long> { ["my-custom-service.service"] = 5 };

        var failure = Assert.Single(UnitRestarts.Failures(UnitRestarts.Parse(Show), before));

        Assert.Equal("My-Custom-ServiceRepeatedRestart", failure.Reason);
    }
}

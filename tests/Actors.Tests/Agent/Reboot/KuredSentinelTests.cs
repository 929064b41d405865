using NodeHealth.Actors.Agent.Reboot;

namespace NodeHealth.Actors.Tests.Agent.Reboot;

/// <summary>kured mode only creates the sentinel, in the host's filesystem as the host resolves the path (/var/run → /run).</summary>
public sealed class KuredSentinelTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "host-" + Guid.NewGuid().ToString("N"));

    public KuredSentinelTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "run"));
        Directory.CreateDirectory(Path.Combine(_root, "var"));
    }

    [Theory]
    [InlineData("/run")] // Debian, Ubuntu: an absolute link, which must not lead out of the host's root.
    [InlineData("../run")] // Fedora, RHEL.
    public void The_sentinel_lands_where_the_hosts_var_run_link_points(string link)
    {
        File.CreateSymbolicLink(Path.Combine(_root, "var", "run"), link);

        var attempt = new KuredSentinelReboot(_root, RebootSettings.KuredSentinelFile).Start();

        Assert.True(attempt.Started, attempt.Detail);
        Assert.Equal(KuredSentinelReboot.Content, File.ReadAllText(Path.Combine(_root, "run", "reboot-required")));
    }

    [Fact]
    public void A_sentinel_that_cannot_be_written_is_a_failed_reboot_naming_the_file()
    {
        var attempt = new KuredSentinelReboot(_root, "/no/such/directory/reboot-required").Start();

        Assert.False(attempt.Started);
        Assert.StartsWith($"cannot create the reboot sentinel /no/such/directory/reboot-required under {_root}: ", attempt.Detail);
    }

    [Fact]
    public void Dot_dot_never_climbs_above_the_hosts_root()
    {
        Assert.Equal(Path.Combine(_root, "etc", "passwd"), RootedPath.Resolve(_root, "/../../etc/passwd"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

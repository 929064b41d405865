using Microsoft.Extensions.Configuration;
using NodeHealth.Actors.Agent.Reboot;
using NodeHealth.NodeHost;

namespace NodeHealth.NodeHost.Tests.Reboot;

public sealed class RebootOptionsTests
{
    private static AgentOptions Bind(params (string Key, string Value)[] settings) =>
        AgentOptions.Bind(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void Rebooting_is_off_by_default_and_would_use_systemd_in_the_hosts_namespaces()
    {
        var settings = Bind().Reboot.ToSettings();

        Assert.False(settings.Enabled);
        Assert.Equal((RebootMode.Command, "nsenter -t 1 -m -u -i -n -p -- systemctl reboot"), (settings.Mode, string.Join(' ', settings.Command)));
    }

    [Fact]
    public void A_recorded_command_and_the_kured_mode_are_read_from_the_agent_section()
    {
        var options = Bind(("Agent:Reboot:Enabled", "true"), ("Agent:Reboot:Mode", "KuredSentinel"), ("Agent:Reboot:Command", "/bin/sh /opt/reboot.sh  now"));

        var settings = options.Reboot.ToSettings();

        Assert.Empty(options.Reboot.Validate());
        Assert.Equal((true, RebootMode.KuredSentinel), (settings.Enabled, settings.Mode));
        Assert.Equal(["/bin/sh", "/opt/reboot.sh", "now"], settings.Command);
    }

    [Theory]
    [InlineData("Agent:Reboot:Mode", "Kured", "Agent:Reboot:Mode 'Kured' is not Command or KuredSentinel")]
    [InlineData("Agent:Reboot:Command", " ", "Agent:Reboot:Command is empty: leave it unset for systemctl reboot in the host's namespaces, or name a program, e.g. /usr/local/bin/reboot-node")]
    [InlineData("Agent:Reboot:SentinelFile", "reboot-required", "Agent:Reboot:SentinelFile 'reboot-required' is not an absolute host path, e.g. /var/run/reboot-required")]
    [InlineData("Agent:Reboot:CommandTimeout", "00:00:00", "Agent:Reboot:CommandTimeout 00:00:00 is too short: use e.g. 00:01:00")]
    public void A_bad_reboot_setting_names_itself_and_the_fix(string key, string value, string error)
    {
        Assert.Equal([error], Bind((key, value)).Reboot.Validate());
    }
}

using NodeHealth.Actors.Agent.Reboot;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Tests.Agent.Reboot;

/// <summary>The agent runs a command id at most once: what its ledger recorded answers every repeat.</summary>
public sealed class CommandDecisionTests
{
    private static readonly DateTime T0 = new(2026, 11, 27, 22, 0, 0, DateTimeKind.Utc);
    private static readonly RebootSettings Enabled = RebootSettings.Disabled with { Enabled = true };
    private static readonly AgentCommand Reboot = new("repair-17", AgentCommandKind.Reboot, T0, "boot-a");

    [Fact]
    public void A_new_reboot_for_this_boot_is_executed_when_rebooting_is_enabled()
    {
        Assert.IsType<CommandVerdict.Execute>(CommandDecision.Decide(Reboot, null, running: false, "boot-a", Enabled));
    }

    [Fact]
    public void A_command_asked_for_before_the_agent_knew_its_boot_is_executed()
    {
        Assert.IsType<CommandVerdict.Execute>(CommandDecision.Decide(Reboot with { ForHostBootId = "" }, null, running: false, "boot-a", Enabled));
    }

    [Fact]
    public void Rebooting_not_enabled_is_refused_with_the_setting_to_change()
    {
        var answer = Assert.IsType<CommandVerdict.Answer>(CommandDecision.Decide(Reboot, null, running: false, "boot-a", RebootSettings.Disabled));

        Assert.Equal(new AgentCommandResult("repair-17", AgentCommandOutcome.Refused,
            "rebooting is not enabled on this agent: set Agent:Reboot:Enabled=true (the DaemonSet does; the all-in-one does not)", "boot-a"), answer.Result);
    }

    [Fact]
    public void A_reboot_asked_for_another_boot_is_refused_never_run_on_this_one()
    {
        var answer = Assert.IsType<CommandVerdict.Answer>(CommandDecision.Decide(Reboot, null, running: false, "boot-b", Enabled));

        Assert.Equal(AgentCommandOutcome.Refused, answer.Result.Outcome);
        Assert.Contains("asked for boot boot-a, this host is on boot boot-b", answer.Result.Detail);
    }

    [Fact]
    public void An_unknown_kind_is_refused()
    {
        var answer = Assert.IsType<CommandVerdict.Answer>(CommandDecision.Decide(Reboot with { Kind = (AgentCommandKind)7 }, null, running: false, "boot-a", Enabled));

        Assert.Equal((AgentCommandOutcome.Refused, "this agent does not know command kind 7"), (answer.Result.Outcome, answer.Result.Detail));
    }

    [Fact]
    public void A_re_send_of_the_command_running_now_waits_for_its_end()
    {
        Assert.IsType<CommandVerdict.AlreadyRunning>(CommandDecision.Decide(Reboot, null, running: true, "boot-a", Enabled));
    }

    [Theory]
    [InlineData(CommandProgress.Accepted, AgentCommandOutcome.Accepted, "ran 'systemctl reboot'")]
    [InlineData(CommandProgress.Failed, AgentCommandOutcome.Failed, "'systemctl reboot' exited with 1")]
    public void A_recorded_id_is_answered_as_recorded_even_after_the_reboot_and_with_rebooting_turned_off(
        CommandProgress progress, AgentCommandOutcome outcome, string detail)
    {
        var recorded = new CommandRecord("repair-17", AgentCommandKind.Reboot, progress, detail, "boot-a", T0);

        var answer = Assert.IsType<CommandVerdict.Answer>(CommandDecision.Decide(Reboot, recorded, running: false, "boot-b", RebootSettings.Disabled));

        Assert.Equal(new AgentCommandResult("repair-17", outcome, detail, "boot-a"), answer.Result);
    }

    [Fact]
    public void A_command_the_agent_stopped_in_the_middle_of_counts_as_started_and_is_not_run_again()
    {
        var recorded = new CommandRecord("repair-17", AgentCommandKind.Reboot, CommandProgress.Started, "", "boot-a", T0);

        var answer = Assert.IsType<CommandVerdict.Answer>(CommandDecision.Decide(Reboot, recorded, running: false, "boot-b", Enabled));

        Assert.Equal((AgentCommandOutcome.Accepted, "boot-a"), (answer.Result.Outcome, answer.Result.HostBootId));
        Assert.Contains("the agent stopped before it finished (this host is on boot boot-b now)", answer.Result.Detail);
    }
}

using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;
using NodeHealth.Coordinator.Repair.Reboot;

namespace NodeHealth.Coordinator.Tests.Repair.Reboot;

/// <summary>What the repair's reboot step makes of the entity's answer: Done once accepted, Retry while waiting, Failed when refused.</summary>
public sealed class RebootOutcomeTests
{
    private static readonly DateTime T0 = new(2026, 11, 27, 22, 0, 0, DateTimeKind.Utc);
    private static readonly AgentCommandState Waiting = new("repair-17", AgentCommandKind.Reboot, T0, "boot-a");

    private static StepOutcome Of(AgentCommandState command, bool connected = true, string hostBootId = "boot-a") =>
        RebootOutcome.Of("node-a", "repair-17", new AgentCommandStatus("node-a", command, connected, hostBootId));

    [Fact]
    public void Accepted_by_the_agent_is_done_naming_the_boot_it_rebooted_from()
    {
        Assert.Equal(StepOutcome.Done("node node-a's agent accepted the reboot of repair repair-17 on boot boot-a: ran 'systemctl reboot'") with { ForHostBootId = "boot-a" },
            Of(Waiting with { Outcome = AgentCommandOutcome.Accepted, Detail = "ran 'systemctl reboot'", AnsweredOnHostBootId = "boot-a" }, hostBootId: "boot-b"));
    }

    [Fact]
    public void Accepted_for_a_boot_the_entity_did_not_know_carries_the_boot_the_agent_answered_on()
    {
        var unknown = Waiting with { ForHostBootId = "", Outcome = AgentCommandOutcome.Accepted, Detail = "wrote /var/run/reboot-required", AnsweredOnHostBootId = "boot-a" };

        Assert.Equal("boot-a", Of(unknown).ForHostBootId); // Verification waits for another boot.
    }

    [Fact]
    public void No_agent_stream_connected_is_retried_and_says_so()
    {
        Assert.Equal(StepOutcome.Retry("the reboot of repair repair-17 waits for node node-a's agent: no agent stream is connected (it is sent when the agent connects)"),
            Of(Waiting, connected: false));
    }

    [Fact]
    public void Sent_but_not_answered_yet_is_retried()
    {
        Assert.Equal(StepStatus.Retry, Of(Waiting).Status);
        Assert.Contains("was sent to node node-a's agent at 2026-11-27T22:00:00", Of(Waiting).Detail);
    }

    [Fact]
    public void Refused_by_the_agent_fails_with_its_reason()
    {
        Assert.Equal(StepOutcome.Failed("node node-a's agent refused the reboot of repair repair-17: rebooting is not enabled on this agent"),
            Of(Waiting with { Outcome = AgentCommandOutcome.Refused, Detail = "rebooting is not enabled on this agent", AnsweredOnHostBootId = "boot-a" }));
    }

    [Fact]
    public void Refused_because_the_node_rebooted_since_the_command_was_asked_for_is_done()
    {
        var outcome = Of(Waiting with { Outcome = AgentCommandOutcome.Refused, Detail = "asked for boot boot-a", AnsweredOnHostBootId = "boot-b" }, hostBootId: "boot-b");

        Assert.Equal(StepOutcome.Done("node node-a rebooted since the reboot of repair repair-17 was asked for (boot boot-a → boot-b); it was not rebooted again")
            with { ForHostBootId = "boot-a" }, outcome);
    }

    [Fact]
    public void A_reboot_command_that_failed_on_the_node_fails()
    {
        Assert.Equal(StepStatus.Failed, Of(Waiting with { Outcome = AgentCommandOutcome.Failed, Detail = "'systemctl reboot' exited with 1" }).Status);
    }

    [Fact]
    public void A_node_no_agent_ever_reported_for_cannot_be_rebooted_through_one()
    {
        Assert.Equal(StepStatus.Failed, RebootOutcome.Of("node-a", "repair-17", new NodeNotFound("node-a")).Status);
    }
}

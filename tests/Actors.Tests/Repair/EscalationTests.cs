using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

public sealed class EscalationTests
{
    private static readonly EscalationPolicy Policy = EscalationPolicy.Default; // 1h recurrence, 3 per 24h, backoff 10m doubling to 2h

    private static RepairRecord Past(RepairAction action, int startedMinute, int finishedMinute, RepairOutcome outcome, string condition = "AcceleratedHardwareReady") =>
        new($"r{startedMinute}", "n1", "gpu", "a", condition, "NvidiaXID48Error", action, At(startedMinute)) { Outcome = outcome, FinishedAt = At(finishedMinute) };

    [Fact]
    public void A_first_fault_takes_the_rules_action_reboot_first()
    {
        var step = Escalation.Next(Policy, RepairAction.Reboot, "AcceleratedHardwareReady", At(0), [], At(10));

        Assert.Equal((RepairAction.Reboot, EscalationRefusal.None), (step.Action, step.Refusal));
    }

    [Theory]
    [InlineData(30, RepairAction.Replace)]   // returned 30 minutes after the reboot finished: escalate
    [InlineData(60, RepairAction.Replace)]   // exactly at the end of the recurrence window
    [InlineData(61, RepairAction.Reboot)]    // later: a new incident, reboot again
    public void A_fault_returning_within_the_recurrence_window_of_a_reboot_escalates_to_replace(int minutesAfterReboot, RepairAction expected)
    {
        var rebooted = Past(RepairAction.Reboot, 0, 5, RepairOutcome.Succeeded);

        var step = Escalation.Next(Policy, RepairAction.Reboot, "AcceleratedHardwareReady", At(5 + minutesAfterReboot), [rebooted], At(200));

        Assert.Equal(expected, step.Action);
    }

    [Fact]
    public void A_different_condition_after_a_reboot_is_a_new_fault_not_a_recurrence()
    {
        var rebooted = Past(RepairAction.Reboot, 0, 5, RepairOutcome.Succeeded);

        var step = Escalation.Next(Policy, RepairAction.Reboot, "KernelReady", At(10), [rebooted], At(60));

        Assert.Equal(RepairAction.Reboot, step.Action);
    }

    [Fact]
    public void A_reboot_that_did_not_bring_the_node_back_healthy_escalates_to_replace_after_the_backoff()
    {
        var failed = Past(RepairAction.Reboot, 0, 20, RepairOutcome.Failed);

        var during = Escalation.Next(Policy, RepairAction.Reboot, "AcceleratedHardwareReady", At(-10), [failed], At(25));
        var after = Escalation.Next(Policy, RepairAction.Reboot, "AcceleratedHardwareReady", At(-10), [failed], At(30));

        Assert.Equal((EscalationRefusal.Backoff, At(30)), (during.Refusal, during.NotBefore));
        Assert.Equal((RepairAction.Replace, EscalationRefusal.None), (after.Action, after.Refusal));
        Assert.Contains("did not bring the node back healthy", after.Why);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(5, 120)]   // 160 minutes capped at maxBackoff 2h
    public void Backoff_doubles_per_failure_in_a_row_up_to_maxBackoff(int failures, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), Escalation.Backoff(Policy, failures));
    }

    [Fact]
    public void Attempt_cap_refuses_a_fourth_repair_within_the_window_until_the_oldest_leaves_it()
    {
        var tries = new[]
        {
            Past(RepairAction.Reboot, 0, 5, RepairOutcome.Succeeded, "KernelReady"),
            Past(RepairAction.Reboot, 100, 105, RepairOutcome.Succeeded, "StorageReady"),
            Past(RepairAction.Replace, 300, 330, RepairOutcome.Succeeded, "NetworkingReady"),
        };

        var refused = Escalation.Next(Policy, RepairAction.Replace, "KernelReady", At(400), tries, At(500));
        var later = Escalation.Next(Policy, RepairAction.Replace, "KernelReady", At(400), tries, At(24 * 60 + 1));

        Assert.Equal((EscalationRefusal.AttemptCap, At(24 * 60)), (refused.Refusal, refused.NotBefore));
        Assert.Contains("reached the cap of 3", refused.Why);
        Assert.Equal(EscalationRefusal.None, later.Refusal);
    }

    [Fact]
    public void Cancelled_repairs_do_not_count_as_attempts()
    {
        var cancelled = Enumerable.Range(0, 5).Select(i => Past(RepairAction.Reboot, i, i + 1, RepairOutcome.Cancelled));

        Assert.Equal(EscalationRefusal.None, Escalation.Next(Policy, RepairAction.Reboot, "KernelReady", At(0), cancelled, At(10)).Refusal);
    }

    [Fact]
    public void Without_reboots_allowed_a_reboot_becomes_replace_and_says_so()
    {
        var step = Escalation.Next(Policy with { AllowReboot = false }, RepairAction.Reboot, "KernelReady", At(0), [], At(10));

        Assert.Equal(RepairAction.Replace, step.Action);
        Assert.Contains("allowReboot false", step.Clause);
    }
}

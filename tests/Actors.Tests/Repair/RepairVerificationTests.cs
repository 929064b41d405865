using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

/// <summary>
/// Whether a reboot worked: only once the node reports a boot other than the one the reboot was asked on (a fault that
/// clears without a reboot — probe recovery, clearsAfter, kured not rebooting yet — verifies nothing), with the repaired
/// condition True and none of ours False.
/// </summary>
public sealed class RepairVerificationTests
{
    private const string Gpu = "AcceleratedHardwareReady";
    private static readonly DateTimeOffset ActedAt = At(20);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    public static TheoryData<string, string, string, bool, int, VerifyVerdict> Reboots => new()
    {
        // Boot asked on, boot now, the repaired condition (True since minute / False), other condition False?, now (minute) → verdict.
        { "boot-1", "boot-1", "True@25", false, 26, VerifyVerdict.Waiting }, // Recovered without a reboot.
        { "boot-1", "boot-1", "True@25", false, 36, VerifyVerdict.TimedOut },
        { "boot-1", "boot-2", "True@25", false, 26, VerifyVerdict.Verified },
        { "boot-1", "boot-2", "True@10", false, 26, VerifyVerdict.Verified }, // True since before the reboot: the new boot is the proof.
        { "boot-1", "boot-2", "False@24", false, 26, VerifyVerdict.Waiting }, // Rebooted, the fault came back.
        { "boot-1", "boot-2", "False@24", false, 36, VerifyVerdict.TimedOut },
        { "boot-1", "boot-2", "True@25", true, 26, VerifyVerdict.Waiting }, // Another condition of ours False.
        { "boot-1", "", "True@25", false, 26, VerifyVerdict.Waiting }, // No boot reported: no proof.
        { "", "boot-1", "True@25", false, 26, VerifyVerdict.Verified }, // The boot asked on is unknown: the transition after the reboot.
        { "", "boot-1", "True@10", false, 26, VerifyVerdict.Waiting },
        { "", "", "True@25", false, 26, VerifyVerdict.Verified },
    };

    [Theory]
    [MemberData(nameof(Reboots))]
    public void A_reboot_is_verified_only_on_a_new_boot_with_the_condition_true(
        string askedOn, string bootNow, string repaired, bool otherFalse, int nowMinute, VerifyVerdict expected)
    {
        var status = repaired.Split('@');
        var since = At(int.Parse(status[1]));
        var condition = status[0] == "True" ? new ConditionSnapshot(Gpu, ConditionStatus.True, "AcceleratedHardwareIsReady", since) : False(Gpu, "NvidiaXID48Error", since);
        var kernel = otherFalse ? False("KernelReady", "KernelBug", At(24)) : True("KernelReady");
        var fleet = FleetOf([Node("gpu-1", conditions: [condition, kernel]) with { BootId = bootNow }]);

        var result = RepairVerification.Check(RepairAction.Reboot, "gpu-1", Gpu, ActedAt, askedOn, fleet, Timeout, At(nowMinute));

        Assert.True(result.Verdict == expected, $"{result.Verdict}: {result.Detail}");
    }

    [Fact]
    public void Waiting_on_the_old_boot_says_so()
    {
        var fleet = FleetOf([Node("gpu-1", conditions: [new ConditionSnapshot(Gpu, ConditionStatus.True, "AcceleratedHardwareIsReady", At(25))]) with { BootId = "boot-1" }]);

        var waiting = RepairVerification.Check(RepairAction.Reboot, "gpu-1", Gpu, ActedAt, "boot-1", fleet, Timeout, At(26));
        var timedOut = RepairVerification.Check(RepairAction.Reboot, "gpu-1", Gpu, ActedAt, "boot-1", fleet, Timeout, At(36));

        Assert.Contains("still on boot boot-1, the one the reboot was asked on", waiting.Detail);
        Assert.StartsWith("gpu-1 did not come back healthy within 15m of the reboot: still on boot boot-1", timedOut.Detail);
    }

    [Fact]
    public void A_verified_reboot_names_both_boots()
    {
        var fleet = FleetOf([Node("gpu-1", conditions: [new ConditionSnapshot(Gpu, ConditionStatus.True, "AcceleratedHardwareIsReady", At(25))]) with { BootId = "boot-2" }]);

        var result = RepairVerification.Check(RepairAction.Reboot, "gpu-1", Gpu, ActedAt, "boot-1", fleet, Timeout, At(26));

        Assert.Equal(VerifyVerdict.Verified, result.Verdict);
        Assert.StartsWith("gpu-1 rebooted (boot boot-1 → boot-2), AcceleratedHardwareReady True since", result.Detail);
    }

    [Theory]
    [InlineData(true, 26, VerifyVerdict.Waiting)]
    [InlineData(true, 36, VerifyVerdict.TimedOut)]
    [InlineData(false, 26, VerifyVerdict.Verified)]
    public void A_replace_is_verified_once_the_node_left_the_fleet_whatever_its_boot(bool present, int nowMinute, VerifyVerdict expected)
    {
        var fleet = FleetOf(present ? [Node("gpu-1", conditions: [False(Gpu, "NvidiaXID79Error", At(0))]) with { BootId = "boot-1" }] : []);

        var result = RepairVerification.Check(RepairAction.Replace, "gpu-1", Gpu, ActedAt, "", fleet, Timeout, At(nowMinute));

        Assert.Equal(expected, result.Verdict);
    }
}

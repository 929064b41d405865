using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Agent.Accelerators;

/// <summary>How the presence component gates AcceleratedHardwareReady among its other components on the agent.</summary>
public sealed class PresenceBoardTests
{
    private static KeyValuePair<(string, ConditionType), MonitorStatus> Component(string name, MonitorState state, string reason) =>
        new((name, ConditionType.AcceleratedHardwareReady), new MonitorStatus(ConditionType.AcceleratedHardwareReady, state, reason, $"{name} says {state}"));

    [Fact]
    public void Absent_hardware_outweighs_an_active_kernel_log_and_a_failed_probe()
    {
        var status = Assert.Single(MonitorStatusBoard.Worst(
        [
            Component("kmsg", MonitorState.Active, "NvidiaGPUIsReady"),
            Component("probe-dcgm", MonitorState.Failed, "ProbeFailed"),
            Component(MonitorStatusBoard.PresenceComponent, MonitorState.Absent, "AcceleratorNotPresent"),
        ]));

        Assert.Equal((MonitorState.Absent, "AcceleratorNotPresent"), (status.State, status.Reason));
    }

    [Fact]
    public void Among_active_components_the_presence_components_ready_reason_is_shown()
    {
        var status = Assert.Single(MonitorStatusBoard.Worst(
        [
            Component("kmsg", MonitorState.Active, "NvidiaGPUIsReady"),
            Component(MonitorStatusBoard.PresenceComponent, MonitorState.Active, "NeuronAcceleratedHardwareIsReady"),
        ]));

        Assert.Equal("NeuronAcceleratedHardwareIsReady", status.Reason);
    }

    [Fact]
    public void A_failed_probe_still_outweighs_present_hardware()
    {
        var status = Assert.Single(MonitorStatusBoard.Worst(
        [
            Component(MonitorStatusBoard.PresenceComponent, MonitorState.Active, "NvidiaGPUIsReady"),
            Component("probe-nvidia-smi", MonitorState.Failed, "ProbeFailed"),
        ]));

        Assert.Equal(MonitorState.Failed, status.State);
    }
}

using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Tests.Health;

/// <summary>AcceleratedHardwareReady on nodes without an accelerator: findings are kept as history and events, no condition is set.</summary>
public sealed class AbsentHardwareTests
{
    private const string Node = "cpu-node";
    private static readonly DateTime T0 = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
    private static readonly MonitorStatus NoAccelerator = new(ConditionType.AcceleratedHardwareReady, MonitorState.Absent, "AcceleratorNotPresent", "no NVIDIA GPU and no AWS Neuron device");
    private static readonly MonitorStatus GpusPresent = new(ConditionType.AcceleratedHardwareReady, MonitorState.Active, "NvidiaGPUIsReady", "Monitoring for Nvidia GPUs is active (8 NVIDIA GPUs)");

    private static Finding DoubleBit(long sequence) =>
        new(Node, ConditionType.AcceleratedHardwareReady, "NvidiaDoubleBitError", Severity.Fatal, "GPU 0000:53:00 has 1 uncorrectable ECC error", T0.AddSeconds(sequence),
            "probe-nvidia-smi", "0000:53:00", "run-1", sequence);

    private static NodeHealthState Reported(NodeHealthState state, MonitorStatus monitor, DateTime at) =>
        state.Decide(new ReportMonitors(Node, [monitor]), at) is { } reported ? state.Apply(reported) : state;

    private static NodeHealthState Recorded(NodeHealthState state, Finding finding, DateTime at)
    {
        var (_, recorded) = state.Decide(new RecordFindings(Node, finding.AgentBootId, [finding]), TestReasons.Catalog, at);
        return state.Apply(recorded!);
    }

    [Fact]
    public void A_fatal_accelerator_finding_on_a_node_without_accelerators_is_recorded_but_sets_no_condition()
    {
        var state = Recorded(Reported(NodeHealthState.Empty(Node), NoAccelerator, T0), DoubleBit(1), T0.AddMinutes(1));

        Assert.Empty(state.Conditions);
        Assert.Equal("NvidiaDoubleBitError", Assert.Single(state.RecentFindings).Reason);
        Assert.Equal((EventType.Warning, "NvidiaDoubleBitError"), (Assert.Single(state.RecentEvents).Type, state.RecentEvents[0].Reason));
    }

    [Fact]
    public void The_same_finding_where_gpus_are_present_turns_the_condition_false()
    {
        var state = Recorded(Reported(NodeHealthState.Empty(Node), GpusPresent, T0), DoubleBit(1), T0.AddMinutes(1));

        var condition = Assert.Single(state.Conditions);
        Assert.Equal((ConditionStatus.False, "NvidiaDoubleBitError"), (condition.Status, condition.Reason));
    }

    [Fact]
    public void A_fault_held_before_the_hardware_reads_absent_stays_absence_is_no_recovery()
    {
        var state = Recorded(Reported(NodeHealthState.Empty(Node), GpusPresent, T0), DoubleBit(1), T0.AddMinutes(1));

        state = Reported(state, NoAccelerator, T0.AddMinutes(2));

        Assert.Equal(ConditionStatus.False, Assert.Single(state.Conditions).Status);
    }
}

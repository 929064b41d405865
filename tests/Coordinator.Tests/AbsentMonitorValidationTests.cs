using Grpc.Core;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Wire;
using NodeHealth.Coordinator.Ingest;

namespace NodeHealth.Coordinator.Tests;

public sealed class AbsentMonitorValidationTests
{
    [Fact]
    public void An_agent_may_report_the_accelerator_hardware_absent_but_not_an_unknown_state()
    {
        var absent = new MonitorStatus(ConditionType.AcceleratedHardwareReady, MonitorState.Absent, "AcceleratorNotPresent", "no NVIDIA GPU and no AWS Neuron device");

        IngestValidation.Validate(new AgentHello("node-a", "run-1", "1", [absent]));
        Assert.Throws<RpcException>(() => IngestValidation.Validate(new AgentHello("node-a", "run-1", "1", [absent with { State = (MonitorState)6 }])));
    }
}

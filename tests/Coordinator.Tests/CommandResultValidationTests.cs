using Grpc.Core;
using NodeHealth.Contracts.Wire;
using NodeHealth.Coordinator.Ingest;

namespace NodeHealth.Coordinator.Tests;

public sealed class CommandResultValidationTests
{
    [Fact]
    public void An_agents_answer_to_a_command_passes()
    {
        IngestValidation.Validate(new AgentCommandResult("repair-17", AgentCommandOutcome.Accepted, "ran 'systemctl reboot'", "boot-a"));
    }

    [Theory]
    [InlineData("", AgentCommandOutcome.Accepted, "command result: the command id is empty")]
    [InlineData("repair 17", AgentCommandOutcome.Accepted, "command result: the command id must be printable ASCII without spaces")]
    [InlineData("repair-17", AgentCommandOutcome.Unknown, "command result repair-17: outcome Unknown is not Accepted, Refused or Failed")]
    [InlineData("repair-17", (AgentCommandOutcome)9, "command result repair-17: outcome 9 is not Accepted, Refused or Failed")]
    public void A_malformed_answer_ends_the_stream_saying_what_is_wrong(string id, AgentCommandOutcome outcome, string message)
    {
        var error = Assert.Throws<RpcException>(() => IngestValidation.Validate(new AgentCommandResult(id, outcome, "", "boot-a")));

        Assert.Equal((StatusCode.InvalidArgument, message), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public void A_detail_past_the_limit_is_refused()
    {
        Assert.Throws<RpcException>(() => IngestValidation.Validate(
            new AgentCommandResult("repair-17", AgentCommandOutcome.Failed, new string('x', IngestLimits.MaxMessageLength + 1), "boot-a")));
    }
}
